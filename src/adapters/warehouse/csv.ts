import type { CopyValue } from './port';

/**
 * Encodes one row as a PostgreSQL/Redshift CSV line. Every text field is quoted, so an empty string
 * stays distinct from NULL (an unquoted empty field) and a lone `\.` can never end a COPY early.
 */
export function csvLine(row: readonly CopyValue[]): string {
  let line = '';
  for (let i = 0; i < row.length; i++) {
    if (i > 0) line += ',';
    const value = row[i];
    if (value === null || value === undefined) continue;
    if (typeof value === 'number' || typeof value === 'boolean') {
      line += String(value);
    } else {
      line += '"' + (value.includes('"') ? value.replace(/"/g, '""') : value) + '"';
    }
  }
  return line + '\n';
}

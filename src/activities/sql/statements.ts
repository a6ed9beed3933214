/**
 * Splits a SQL file into statements on `;` at the end of a line (the Redshift Data API runs one
 * statement per call) and drops whole-line `--` comments.
 */
export function splitStatements(text: string): string[] {
  return text
    .split(/;\s*$/m)
    .map((statement) => statement.replace(/^\s*--.*$/gm, '').trim())
    .filter(Boolean);
}

import type { SqlValue } from './port';

/** A statement in the Redshift Data API's spelling: `:pN` named parameters with string values. */
export interface NamedStatement {
  readonly sql: string;
  readonly parameters: { name: string; value: string }[];
}

/**
 * Rewrites `$1…$n` placeholders to the Data API's `:p1…:pn` and turns the values into the strings the
 * API carries (Redshift casts them to the column type).
 *
 * Two values the API cannot carry are written as SQL constants instead, which is safe because neither
 * contains user text: `null` becomes `NULL` (the API has no null parameter; a value "NULL" would be
 * the four-letter string), and `''` becomes `''` (the API rejects empty parameter values).
 * Placeholders inside quoted literals, quoted identifiers and comments are left alone, and only
 * referenced parameters are sent, because the API rejects unused ones.
 */
export function toNamedParameters(sql: string, params: readonly SqlValue[] = []): NamedStatement {
  const parameters: { name: string; value: string }[] = [];
  const sent = new Set<number>();
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    const skipTo = endOfQuotedOrComment(sql, i);
    if (skipTo > i) {
      out += sql.slice(i, skipTo);
      i = skipTo;
      continue;
    }
    const placeholder =
      c === '$' && !/[A-Za-z0-9_]/.test(sql[i - 1] ?? '') ? /^\$(\d+)/.exec(sql.slice(i)) : null;
    if (!placeholder) {
      out += c;
      i++;
      continue;
    }
    const n = Number(placeholder[1]);
    if (n < 1 || n > params.length) {
      throw new RangeError(`the SQL uses $${n} but ${params.length} parameter(s) were given`);
    }
    out += bind(n, params[n - 1]!, parameters, sent);
    i += placeholder[0].length;
  }
  return { sql: out, parameters };
}

function bind(
  n: number,
  value: SqlValue,
  parameters: { name: string; value: string }[],
  sent: Set<number>,
): string {
  if (value === null || value === undefined) return 'NULL';
  if (value === '') return "''";
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new RangeError(`parameter $${n} is ${value}, which Redshift cannot store`);
  }
  if (!sent.has(n)) {
    sent.add(n);
    parameters.push({ name: `p${n}`, value: String(value) });
  }
  return `:p${n}`;
}

/** The index just past a quoted literal, quoted identifier or comment starting at `i`, else `i`. */
function endOfQuotedOrComment(sql: string, i: number): number {
  const c = sql[i];
  if (c === "'" || c === '"') {
    let j = i + 1;
    while (j < sql.length) {
      if (sql[j] === c) {
        if (sql[j + 1] === c) {
          j += 2;
          continue;
        }
        return j + 1;
      }
      // Redshift string literals also accept backslash escapes (E'' is not required).
      j += c === "'" && sql[j] === '\\' ? 2 : 1;
    }
    return sql.length;
  }
  if (c === '-' && sql[i + 1] === '-') {
    const end = sql.indexOf('\n', i);
    return end < 0 ? sql.length : end;
  }
  if (c === '/' && sql[i + 1] === '*') {
    const end = sql.indexOf('*/', i + 2);
    return end < 0 ? sql.length : end + 2;
  }
  return i;
}

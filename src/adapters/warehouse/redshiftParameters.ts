import type { SqlValue } from './port';
import { rewritePlaceholders } from './sqlPlaceholders';

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
  const out = rewritePlaceholders(sql, 'numbered', (token) => {
    const n = Number(token);
    if (n < 1 || n > params.length) {
      throw new RangeError(`the SQL uses $${n} but ${params.length} parameter(s) were given`);
    }
    return bind(n, params[n - 1]!, parameters, sent);
  });
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

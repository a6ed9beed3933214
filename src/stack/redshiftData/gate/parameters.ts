import { validation } from '../errors';
import { SqlEdit, tokenize } from './tokens';

/** One `SqlParameter` as the Data API carries it: a name and a string value. */
export interface NamedParameter {
  readonly name: string;
  readonly value: string;
}

/** A statement with the Data API's `:name` placeholders turned into PostgreSQL's `$n`, values in order. */
export interface BoundSql {
  readonly sql: string;
  readonly values: string[];
}

const NAME = /^[0-9a-zA-Z_]+$/;

/**
 * Binds the Data API's named parameters the way Redshift does: `:name` anywhere a value may stand (names may
 * repeat, in any order), every value a string that the engine casts to what the context needs. Placeholders
 * in literals, quoted identifiers and comments are not placeholders (the lexer says which are). `::type` is a cast.
 * Refused as the API refuses them: a malformed name, an empty value, a parameter the SQL never uses, and a
 * placeholder with no parameter.
 */
export function bindParameters(sql: string, parameters: readonly NamedParameter[] = []): BoundSql {
  const byName = new Map<string, number>();
  parameters.forEach((p, i) => {
    if (!NAME.test(p.name)) throw validation(`Parameter name "${p.name}" must match ${NAME.source}`);
    if (p.value === '')
      throw validation(`Parameter "${p.name}" has an empty value; values need at least 1 character`);
    if (byName.has(p.name)) throw validation(`Parameter "${p.name}" is given more than once`);
    byName.set(p.name, i);
  });
  if (parameters.length === 0) return { sql, values: [] };

  const tokens = tokenize(sql);
  const edit = new SqlEdit(sql);
  const order: string[] = [];
  for (let i = 0; i + 1 < tokens.length; i++) {
    const colon = tokens[i]!;
    const name = tokens[i + 1]!;
    if (colon.text !== ':' || name.start !== colon.end || !NAME.test(name.text)) continue;
    if (!byName.has(name.text))
      throw validation(`The SQL uses :${name.text}, but no parameter has that name`);
    let n = order.indexOf(name.text);
    if (n < 0) n = order.push(name.text) - 1;
    edit.replace(colon.start, name.end, `$${n + 1}`);
    i++;
  }
  const unused = parameters.find((p) => !order.includes(p.name));
  if (unused) throw validation(`Parameter "${unused.name}" is not used in the SQL`);
  return { sql: edit.toString(), values: order.map((name) => parameters[byName.get(name)!]!.value) };
}

/**
 * The one place that finds parameter placeholders in SQL text: `$1…$n` (what `Warehouse.query` takes) or `:name`
 * (the mart's SQL files). Quoted literals, quoted identifiers and comments are left alone, and `::type` is a cast.
 */
export type PlaceholderStyle = 'numbered' | 'named';

const PATTERNS: Record<PlaceholderStyle, RegExp> = {
  numbered: /^\$(\d+)/,
  named: /^:([a-z_][a-z0-9_]*)/,
};

/**
 * Returns `sql` with each placeholder of `style` replaced by `replace(token)`, where `token` is the number
 * (`"3"` for `$3`) or the name (`"report_date"` for `:report_date`).
 */
export function rewritePlaceholders(
  sql: string,
  style: PlaceholderStyle,
  replace: (token: string) => string,
): string {
  const sigil = style === 'numbered' ? '$' : ':';
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const skipTo = endOfQuotedOrComment(sql, i);
    if (skipTo > i) {
      out += sql.slice(i, skipTo);
      i = skipTo;
      continue;
    }
    const c = sql[i]!;
    const before = sql[i - 1] ?? '';
    // `$1` after a word character is part of a name; `:x` after `:` is the type of a `::` cast.
    const starts = c === sigil && !/[A-Za-z0-9_]/.test(before) && !(style === 'named' && before === ':');
    const match = starts ? PATTERNS[style].exec(sql.slice(i)) : null;
    if (!match) {
      out += c;
      i++;
      continue;
    }
    out += replace(match[1]!);
    i += match[0].length;
  }
  return out;
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

import { DialectError } from '../errors';
import { isWord, type SqlEdit, type Token } from './tokens';

/**
 * Redshift's CREATE TABLE attributes, which PostgreSQL's grammar does not know: recognised, checked against
 * Redshift's documented forms (docs.aws.amazon.com/redshift/latest/dg/r_CREATE_TABLE_NEW.html), and blanked
 * out so the rest of the statement can be parsed and run by PostgreSQL. Distribution, sort order, encoding and
 * backup have no effect on a single PostgreSQL server, so nothing replaces them.
 */

const DIST_STYLES = ['AUTO', 'EVEN', 'KEY', 'ALL'];
const ENCODINGS = [
  'AUTO',
  'AZ64',
  'BYTEDICT',
  'DELTA',
  'DELTA32K',
  'LZO',
  'MOSTLY8',
  'MOSTLY16',
  'MOSTLY32',
  'RAW',
  'RUNLENGTH',
  'TEXT255',
  'TEXT32K',
  'ZSTD',
];

/** What the statement asked of Redshift, for tests and the describe output. */
export interface TableAttributes {
  distStyle?: string;
  distKey?: string;
  sortKey?: string[];
}

/** Whether the tokens start a CREATE [TEMP] TABLE statement. */
export function isCreateTable(tokens: readonly Token[]): boolean {
  let i = 0;
  if (!isWord(tokens[i++], 'CREATE')) return false;
  while (isWord(tokens[i], 'TEMP', 'TEMPORARY', 'LOCAL', 'GLOBAL')) i++;
  return isWord(tokens[i], 'TABLE');
}

/** Blanks Redshift's table and column attributes out of a CREATE TABLE; throws on a malformed one. */
export function stripTableAttributes(tokens: readonly Token[], edit: SqlEdit): TableAttributes {
  const attributes: TableAttributes = {};
  const columns = new Set<string>();
  let depth = 0;
  let columnStart = true;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.text === '(') {
      depth++;
      columnStart = depth === 1;
      continue;
    }
    if (t.text === ')') {
      depth--;
      continue;
    }
    // CREATE TABLE … AS SELECT: the attributes come before AS; the query after it is left alone.
    if (depth === 0 && isWord(t, 'AS')) break;
    if (depth === 1) {
      if (t.text === ',') columnStart = true;
      else if (columnStart) {
        columns.add(t.text.toLowerCase());
        columnStart = false;
      } else i = columnAttribute(tokens, i, edit, attributes);
      continue;
    }
    if (depth === 0) i = tableAttribute(tokens, i, edit, attributes);
  }
  for (const key of [attributes.distKey, ...(attributes.sortKey ?? [])]) {
    if (key !== undefined && columns.size > 0 && !columns.has(key)) {
      throw new DialectError('DISTKEY/SORTKEY', `column "${key}" named in DISTKEY/SORTKEY does not exist`);
    }
  }
  if (attributes.distStyle === 'KEY' && !attributes.distKey) {
    throw new DialectError('DISTSTYLE KEY', 'DISTSTYLE KEY needs a DISTKEY column');
  }
  if (attributes.distKey && attributes.distStyle !== undefined && attributes.distStyle !== 'KEY') {
    throw new DialectError(
      `DISTSTYLE ${attributes.distStyle}`,
      `DISTKEY cannot be used with DISTSTYLE ${attributes.distStyle}`,
    );
  }
  return attributes;
}

/** One column-level ENCODE x / DISTKEY / SORTKEY at token `i`; returns the last token it consumed. */
function columnAttribute(tokens: readonly Token[], i: number, edit: SqlEdit, a: TableAttributes): number {
  const t = tokens[i]!;
  const column = columnNameBefore(tokens, i);
  if (isWord(t, 'ENCODE')) {
    const encoding = tokens[i + 1];
    if (!isWord(encoding) || !ENCODINGS.includes(encoding!.upper)) {
      throw new DialectError('ENCODE', `unknown column compression encoding ${encoding?.text ?? '(none)'}`);
    }
    edit.blank(t.start, encoding!.end);
    return i + 1;
  }
  if (isWord(t, 'DISTKEY')) {
    a.distKey = column;
    a.distStyle ??= 'KEY';
    edit.blank(t.start, t.end);
  } else if (isWord(t, 'SORTKEY')) {
    a.sortKey = [...(a.sortKey ?? []), column];
    edit.blank(t.start, t.end);
  }
  return i;
}

/** The column a column attribute belongs to: the first word after the last top-level comma or the open paren. */
function columnNameBefore(tokens: readonly Token[], i: number): string {
  let depth = 0;
  for (let j = i - 1; j >= 0; j--) {
    const t = tokens[j]!;
    if (t.text === ')') depth++;
    else if (t.text === '(') {
      if (depth === 0) return tokens[j + 1]!.text.toLowerCase();
      depth--;
    } else if (t.text === ',' && depth === 0) return tokens[j + 1]!.text.toLowerCase();
  }
  return '';
}

/** One table-level attribute at token `i` (DISTSTYLE, DISTKEY(c), [COMPOUND|INTERLEAVED] SORTKEY(…), ENCODE AUTO, BACKUP). */
function tableAttribute(tokens: readonly Token[], i: number, edit: SqlEdit, a: TableAttributes): number {
  const t = tokens[i]!;
  const next = tokens[i + 1];
  if (isWord(t, 'DISTSTYLE')) {
    if (!isWord(next) || !DIST_STYLES.includes(next!.upper)) {
      throw new DialectError('DISTSTYLE', `DISTSTYLE must be one of ${DIST_STYLES.join(', ')}`);
    }
    a.distStyle = next!.upper;
    edit.blank(t.start, next!.end);
    return i + 1;
  }
  if (isWord(t, 'DISTKEY')) {
    const [names, last] = nameList(tokens, i + 1, 'DISTKEY');
    if (names.length !== 1) throw new DialectError('DISTKEY', 'DISTKEY takes exactly one column');
    a.distKey = names[0];
    edit.blank(t.start, tokens[last]!.end);
    return last;
  }
  if (isWord(t, 'COMPOUND', 'INTERLEAVED') && isWord(next, 'SORTKEY')) {
    const end = tableAttribute(tokens, i + 1, edit, a);
    edit.blank(t.start, t.end);
    return end;
  }
  if (isWord(t, 'SORTKEY')) {
    if (isWord(next, 'AUTO')) {
      edit.blank(t.start, next!.end);
      return i + 1;
    }
    const [names, last] = nameList(tokens, i + 1, 'SORTKEY');
    if (names.length === 0 || names.length > 400)
      throw new DialectError('SORTKEY', 'SORTKEY takes 1 to 400 columns');
    a.sortKey = names;
    edit.blank(t.start, tokens[last]!.end);
    return last;
  }
  if (isWord(t, 'ENCODE') && isWord(next, 'AUTO')) {
    edit.blank(t.start, next!.end);
    return i + 1;
  }
  if (isWord(t, 'BACKUP') && isWord(next, 'YES', 'NO')) {
    edit.blank(t.start, next!.end);
    return i + 1;
  }
  return i;
}

/** `( a, b, … )` starting at token `i`: the lower-cased names and the index of the closing paren. */
function nameList(tokens: readonly Token[], i: number, what: string): [string[], number] {
  if (tokens[i]?.text !== '(') throw new DialectError(what, `${what} needs a parenthesised column list`);
  const names: string[] = [];
  let j = i + 1;
  for (; j < tokens.length && tokens[j]!.text !== ')'; j++) {
    const t = tokens[j]!;
    if (t.text === ',') continue;
    if (!isWord(t)) throw new DialectError(what, `${what} lists columns by name, found ${t.text}`);
    names.push(t.text.toLowerCase());
  }
  if (j >= tokens.length) throw new DialectError(what, `${what} column list is not closed`);
  return [names, j];
}

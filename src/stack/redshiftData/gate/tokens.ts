import { loadModule, scanSync } from 'libpg-query';

/**
 * PostgreSQL's own lexer (libpg-query, compiled to WASM, so it runs offline) as the gate's tokenizer.
 * Its positions are UTF-8 byte offsets, so edits are made on the statement's bytes (`SqlEdit`).
 */

let loaded: Promise<void> | undefined;

/** Loads the WASM parser once; every other function here needs it loaded. */
export function loadSqlParser(): Promise<void> {
  loaded ??= loadModule();
  return loaded;
}

export interface Token {
  /** UTF-8 byte offsets into the statement. */
  readonly start: number;
  readonly end: number;
  readonly text: string;
  /** `text` upper-cased, for keyword comparisons. */
  readonly upper: string;
  /** PostgreSQL's token class: IDENT, SCONST, ICONST, FCONST, PARAM, TYPECAST, ASCII_40, … or UNKNOWN for keywords. */
  readonly type: string;
  readonly keyword: boolean;
}

/** The statement's tokens without comments. */
export function tokenize(sql: string): Token[] {
  return scanSync(sql)
    .tokens.filter((t) => t.tokenName !== 'SQL_COMMENT' && t.tokenName !== 'C_COMMENT')
    .map((t) => ({
      start: t.start,
      end: t.end,
      text: t.text,
      upper: t.text.toUpperCase(),
      type: t.tokenName,
      keyword: t.keywordKind > 0,
    }));
}

/** A word: an identifier or any keyword (Redshift's own words such as DISTKEY are identifiers to PostgreSQL). */
export function isWord(token: Token | undefined, ...words: string[]): boolean {
  if (!token || (token.type !== 'IDENT' && !token.keyword)) return false;
  return words.length === 0 || words.includes(token.upper);
}

/** The value of a single-quoted string constant ('it''s' → it's). */
export function stringValue(token: Token): string {
  if (token.type !== 'SCONST' || !token.text.startsWith("'")) {
    throw new Error(`expected a quoted string, found ${token.text}`);
  }
  return token.text.slice(1, -1).replace(/''/g, "'");
}

/** Byte-offset edits of one statement, applied together. */
export class SqlEdit {
  private readonly bytes: Buffer;
  private readonly edits: { start: number; end: number; text: string }[] = [];

  constructor(sql: string) {
    this.bytes = Buffer.from(sql, 'utf8');
  }

  replace(start: number, end: number, text: string): void {
    this.edits.push({ start, end, text });
  }

  /** Replaces a span by spaces, so positions in PostgreSQL's error messages still point at the original text. */
  blank(start: number, end: number): void {
    this.replace(start, end, ' '.repeat(end - start));
  }

  toString(): string {
    const sorted = [...this.edits].sort((a, b) => a.start - b.start);
    const parts: Buffer[] = [];
    let at = 0;
    for (const edit of sorted) {
      if (edit.start < at) throw new Error('overlapping SQL edits');
      parts.push(this.bytes.subarray(at, edit.start), Buffer.from(edit.text, 'utf8'));
      at = edit.end;
    }
    parts.push(this.bytes.subarray(at));
    return Buffer.concat(parts).toString('utf8');
  }
}

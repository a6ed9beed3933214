import {
  CLOSE_BRACE,
  CLOSE_BRACKET,
  COLON,
  COMMA,
  LETTER_L,
  LETTER_S,
  OPEN_BRACE,
  OPEN_BRACKET,
  QUOTE,
  plainStringEnd,
  skipSpace,
} from './jsonBytes';

/** What a flat attribute holds. */
export const FLAT_STRING = 1;
export const FLAT_LIST = 2;
export const FLAT_STRING_SET = 3;

/** Items with more attributes or list elements than this are simply parsed. */
const MAX_ATTRIBUTES = 32;
const MAX_ELEMENTS = 1024;

/**
 * One item whose attributes are all strings (`S`), lists of strings (`L`) or string sets (`SS`), every string
 * written without escapes and as valid UTF-8, so its text is exactly its bytes. Attributes and elements are
 * byte ranges of `bytes` (start inclusive, end exclusive).
 */
export class FlatItem {
  attributeCount = 0;
  private readonly nameStart = new Int32Array(MAX_ATTRIBUTES);
  private readonly nameEnd = new Int32Array(MAX_ATTRIBUTES);
  private readonly kinds = new Uint8Array(MAX_ATTRIBUTES);
  /** A string's text range, or a list's range of element indexes. */
  private readonly valueStart = new Int32Array(MAX_ATTRIBUTES);
  private readonly valueEnd = new Int32Array(MAX_ATTRIBUTES);
  readonly elementStart = new Int32Array(MAX_ELEMENTS);
  readonly elementEnd = new Int32Array(MAX_ELEMENTS);
  private elementCount = 0;

  constructor(readonly bytes: Buffer) {}

  /**
   * The index of the attribute called `name` (its UTF-8 bytes), -1 when the item has none, or -2 when it has
   * it twice (JSON.parse would keep the last; a caller should rather parse such an item).
   */
  find(name: Uint8Array): number {
    let found = -1;
    for (let i = 0; i < this.attributeCount; i++) {
      if (this.sameBytes(this.nameStart[i]!, this.nameEnd[i]!, name)) {
        if (found >= 0) return -2;
        found = i;
      }
    }
    return found;
  }

  kind(attribute: number): number {
    return this.kinds[attribute]!;
  }

  /** A string attribute's text range. */
  textStart(attribute: number): number {
    return this.valueStart[attribute]!;
  }
  textEnd(attribute: number): number {
    return this.valueEnd[attribute]!;
  }

  /** A list attribute's elements: indexes into `elementStart` / `elementEnd`. */
  firstElement(attribute: number): number {
    return this.valueStart[attribute]!;
  }
  elementsEnd(attribute: number): number {
    return this.valueEnd[attribute]!;
  }

  text(start: number, end: number): string {
    return this.bytes.toString('utf8', start, end);
  }

  /** Whether the bytes `start…end` equal `expected`. */
  sameBytes(start: number, end: number, expected: Uint8Array): boolean {
    if (end - start !== expected.length) return false;
    const bytes = this.bytes;
    for (let i = 0; i < expected.length; i++) if (bytes[start + i] !== expected[i]) return false;
    return true;
  }

  /** Reads the item at `at` (its `{`); returns the index past its `}`, or -1 when the item is not flat. */
  read(at: number): number {
    const bytes = this.bytes;
    this.attributeCount = 0;
    this.elementCount = 0;
    if (bytes[at] !== OPEN_BRACE) return -1;
    at = skipSpace(bytes, at + 1);
    if (bytes[at] === CLOSE_BRACE) return at + 1;
    for (;;) {
      if (this.attributeCount === MAX_ATTRIBUTES) return -1;
      const a = this.attributeCount;
      const nameEnd = plainStringEnd(bytes, at);
      if (nameEnd < 0) return -1;
      this.nameStart[a] = at + 1;
      this.nameEnd[a] = nameEnd;
      at = skipSpace(bytes, nameEnd + 1);
      if (bytes[at] !== COLON) return -1;
      at = this.readValue(a, skipSpace(bytes, at + 1));
      if (at < 0) return -1;
      this.attributeCount++;
      at = skipSpace(bytes, at);
      if (bytes[at] === CLOSE_BRACE) return at + 1;
      if (bytes[at] !== COMMA) return -1;
      at = skipSpace(bytes, at + 1);
    }
  }

  /** Reads `{"S": "…"}`, `{"L": [{"S": "…"}, …]}` or `{"SS": ["…", …]}` into attribute `a`. */
  private readValue(a: number, at: number): number {
    const bytes = this.bytes;
    if (bytes[at] !== OPEN_BRACE) return -1;
    at = skipSpace(bytes, at + 1);
    const kind = typeKey(bytes, at);
    if (kind === 0) return -1;
    at = skipSpace(bytes, at + (kind === FLAT_STRING_SET ? 4 : 3));
    if (bytes[at] !== COLON) return -1;
    at = skipSpace(bytes, at + 1);
    this.kinds[a] = kind;
    if (kind === FLAT_STRING) {
      const end = plainStringEnd(bytes, at);
      if (end < 0) return -1;
      this.valueStart[a] = at + 1;
      this.valueEnd[a] = end;
      at = end + 1;
    } else {
      this.valueStart[a] = this.elementCount;
      at = this.readList(at, kind === FLAT_LIST);
      if (at < 0) return -1;
      this.valueEnd[a] = this.elementCount;
    }
    at = skipSpace(bytes, at);
    return bytes[at] === CLOSE_BRACE ? at + 1 : -1;
  }

  /** Reads `[…]` of `{"S": "…"}` (wrapped) or of bare strings. */
  private readList(at: number, wrapped: boolean): number {
    const bytes = this.bytes;
    if (bytes[at] !== OPEN_BRACKET) return -1;
    at = skipSpace(bytes, at + 1);
    if (bytes[at] === CLOSE_BRACKET) return at + 1;
    for (;;) {
      if (this.elementCount === MAX_ELEMENTS) return -1;
      if (wrapped) {
        if (bytes[at] !== OPEN_BRACE) return -1;
        at = skipSpace(bytes, at + 1);
        if (typeKey(bytes, at) !== FLAT_STRING) return -1;
        at = skipSpace(bytes, at + 3);
        if (bytes[at] !== COLON) return -1;
        at = skipSpace(bytes, at + 1);
      }
      const end = plainStringEnd(bytes, at);
      if (end < 0) return -1;
      this.elementStart[this.elementCount] = at + 1;
      this.elementEnd[this.elementCount] = end;
      this.elementCount++;
      at = skipSpace(bytes, end + 1);
      if (wrapped) {
        if (bytes[at] !== CLOSE_BRACE) return -1;
        at = skipSpace(bytes, at + 1);
      }
      if (bytes[at] === CLOSE_BRACKET) return at + 1;
      if (bytes[at] !== COMMA) return -1;
      at = skipSpace(bytes, at + 1);
    }
  }
}

/** `"S"`, `"L"` or `"SS"` at `at`: its flat kind, else 0. */
function typeKey(bytes: Buffer, at: number): number {
  if (bytes[at] !== QUOTE) return 0;
  const first = bytes[at + 1];
  if (bytes[at + 2] === QUOTE) return first === LETTER_S ? FLAT_STRING : first === LETTER_L ? FLAT_LIST : 0;
  return first === LETTER_S && bytes[at + 2] === LETTER_S && bytes[at + 3] === QUOTE ? FLAT_STRING_SET : 0;
}

import type { AttributeValue, RawItem } from './attributeValue';

/**
 * The `Items` of one Scan response, still as the response's UTF-8 bytes.
 *
 * Why: `JSON.parse` of a 1 MB page builds some 60,000 objects and strings (every list element is a `{"S": …}`
 * object), which explode reads once and drops; allocating and collecting them was most of the worker's CPU
 * in a million-item extract. Search items nearly always hold only strings and lists of strings, so
 * `forEach` reads such an item as byte ranges into one reused `FlatItem`, and parses only the others.
 */
export class WireItems {
  private parsed: RawItem[] | undefined;

  /** `start` is the index of the array's `[`, `end` the index just past its `]`. */
  constructor(
    readonly bytes: Buffer,
    private readonly start: number,
    private readonly end: number,
  ) {}

  /** Every item as `RawItem` objects (parsed once, on first use). */
  items(): RawItem[] {
    this.parsed ??= decodeBinaryItems(
      JSON.parse(this.bytes.toString('utf8', this.start, this.end)) as RawItem[],
    );
    return this.parsed;
  }

  /**
   * Visits the items in order. `flat` is the item read as byte ranges when every attribute of it is a string
   * or a list of strings written without escapes, else null; it is reused for the next item, so read it during
   * the call only. `parse` returns the same item as a `RawItem`, whichever way it was read.
   */
  forEach(visit: (flat: FlatItem | null, parse: () => RawItem) => void): void {
    const bytes = this.bytes;
    const flat = new FlatItem(bytes);
    let at = skipSpace(bytes, this.start + 1);
    if (bytes[at] === CLOSE_BRACKET) return;
    for (;;) {
      const itemStart = at;
      let itemEnd = flat.read(at);
      const readFlat = itemEnd >= 0;
      if (!readFlat) itemEnd = skipValue(bytes, itemStart);
      visit(readFlat ? flat : null, () => this.parseItem(itemStart, itemEnd));
      at = skipSpace(bytes, itemEnd);
      if (bytes[at] === COMMA) at = skipSpace(bytes, at + 1);
      else if (bytes[at] === CLOSE_BRACKET) return;
      else throw new SyntaxError(`unexpected byte at ${at} of a Scan response's Items`);
    }
  }

  private parseItem(start: number, end: number): RawItem {
    const item = JSON.parse(this.bytes.toString('utf8', start, end)) as RawItem;
    decodeBinaryItem(item);
    return item;
  }
}

/** What a Scan response holds besides its items. */
export interface WirePage {
  readonly items: WireItems;
  readonly count?: number;
  readonly scannedCount?: number;
  readonly lastEvaluatedKey?: RawItem;
}

/** Reads a Scan response body: its small members are parsed, its `Items` left as bytes. */
export function readWirePage(bytes: Buffer): WirePage {
  let at = skipSpace(bytes, 0);
  if (bytes[at] !== OPEN_BRACE) throw new SyntaxError('a Scan response is not a JSON object');
  let items: WireItems | undefined;
  const members: Record<string, unknown> = {};
  at = skipSpace(bytes, at + 1);
  while (bytes[at] !== CLOSE_BRACE) {
    const keyEnd = skipString(bytes, at);
    const key = JSON.parse(bytes.toString('utf8', at, keyEnd)) as string;
    at = skipSpace(bytes, keyEnd);
    if (bytes[at] !== COLON) throw new SyntaxError(`expected ':' at ${at} of a Scan response`);
    const valueStart = skipSpace(bytes, at + 1);
    const valueEnd = skipValue(bytes, valueStart);
    if (key === 'Items') {
      if (bytes[valueStart] !== OPEN_BRACKET)
        throw new SyntaxError("a Scan response's Items is not an array");
      items = new WireItems(bytes, valueStart, valueEnd);
    } else {
      members[key] = JSON.parse(bytes.toString('utf8', valueStart, valueEnd));
    }
    at = skipSpace(bytes, valueEnd);
    if (bytes[at] === COMMA) {
      at = skipSpace(bytes, at + 1);
      if (bytes[at] !== QUOTE) throw new SyntaxError(`expected a member name at ${at} of a Scan response`);
    } else if (bytes[at] !== CLOSE_BRACE) {
      throw new SyntaxError(`unexpected byte at ${at} of a Scan response`);
    }
  }
  if (skipSpace(bytes, at + 1) !== bytes.length)
    throw new SyntaxError('a Scan response has bytes after its end');
  const lastEvaluatedKey = members.LastEvaluatedKey as RawItem | undefined;
  if (lastEvaluatedKey) decodeBinaryItem(lastEvaluatedKey);
  return {
    items: items ?? new WireItems(Buffer.from('[]'), 0, 2),
    count: members.Count as number | undefined,
    scannedCount: members.ScannedCount as number | undefined,
    lastEvaluatedKey,
  };
}

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

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const LETTER_S = 0x53;
const LETTER_L = 0x4c;

/** `"S"`, `"L"` or `"SS"` at `at`: its flat kind, else 0. */
function typeKey(bytes: Buffer, at: number): number {
  if (bytes[at] !== QUOTE) return 0;
  const first = bytes[at + 1];
  if (bytes[at + 2] === QUOTE) return first === LETTER_S ? FLAT_STRING : first === LETTER_L ? FLAT_LIST : 0;
  return first === LETTER_S && bytes[at + 2] === LETTER_S && bytes[at + 3] === QUOTE ? FLAT_STRING_SET : 0;
}

function skipSpace(bytes: Buffer, at: number): number {
  for (;;) {
    const byte = bytes[at];
    if (byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09) return at;
    at++;
  }
}

/**
 * The index of the closing quote of the string at `at`, when its text is exactly its bytes: no escape, no
 * control character (which JSON forbids) and valid UTF-8 (which decoding would otherwise replace). Else -1.
 */
function plainStringEnd(bytes: Buffer, at: number): number {
  if (bytes[at] !== QUOTE) return -1;
  const length = bytes.length;
  for (let i = at + 1; i < length;) {
    const byte = bytes[i]!;
    if (byte === QUOTE) return i;
    if (byte === BACKSLASH || byte < 0x20) return -1;
    if (byte < 0x80) {
      i++;
      continue;
    }
    const size = utf8SequenceLength(bytes, i);
    if (size === 0) return -1;
    i += size;
  }
  return -1;
}

/** The length of the valid UTF-8 sequence at `i` (RFC 3629: no overlong forms, no surrogates), or 0. */
function utf8SequenceLength(bytes: Buffer, i: number): number {
  const lead = bytes[i]!;
  const second = bytes[i + 1] ?? 0;
  if (lead >= 0xc2 && lead <= 0xdf) return isContinuation(second) ? 2 : 0;
  if (lead >= 0xe0 && lead <= 0xef) {
    const low = lead === 0xe0 ? 0xa0 : 0x80;
    const high = lead === 0xed ? 0x9f : 0xbf;
    return second >= low && second <= high && isContinuation(bytes[i + 2] ?? 0) ? 3 : 0;
  }
  if (lead >= 0xf0 && lead <= 0xf4) {
    const low = lead === 0xf0 ? 0x90 : 0x80;
    const high = lead === 0xf4 ? 0x8f : 0xbf;
    return second >= low &&
      second <= high &&
      isContinuation(bytes[i + 2] ?? 0) &&
      isContinuation(bytes[i + 3] ?? 0)
      ? 4
      : 0;
  }
  return 0;
}

function isContinuation(byte: number): boolean {
  return (byte & 0xc0) === 0x80;
}

/** The index past the string at `at` (escapes skipped, nothing checked). */
function skipString(bytes: Buffer, at: number): number {
  if (bytes[at] !== QUOTE) throw new SyntaxError(`expected a string at ${at} of a Scan response`);
  const length = bytes.length;
  for (let i = at + 1; i < length; i++) {
    const byte = bytes[i];
    if (byte === BACKSLASH) i++;
    else if (byte === QUOTE) return i + 1;
  }
  throw new SyntaxError('a string of a Scan response is not closed');
}

/** The index past the JSON value at `at`, found by bracket depth; `JSON.parse` checks the value itself later. */
function skipValue(bytes: Buffer, at: number): number {
  const first = bytes[at];
  if (first === QUOTE) return skipString(bytes, at);
  if (first !== OPEN_BRACE && first !== OPEN_BRACKET) {
    let i = at;
    while (i < bytes.length && !isDelimiter(bytes[i]!)) i++;
    return i;
  }
  let depth = 0;
  for (let i = at; i < bytes.length;) {
    const byte = bytes[i]!;
    if (byte === QUOTE) {
      i = skipString(bytes, i);
      continue;
    }
    if (byte === OPEN_BRACE || byte === OPEN_BRACKET) depth++;
    else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
      depth--;
      if (depth === 0) return i + 1;
    }
    i++;
  }
  throw new SyntaxError('a value of a Scan response is not closed');
}

function isDelimiter(byte: number): boolean {
  return (
    byte === COMMA ||
    byte === CLOSE_BRACE ||
    byte === CLOSE_BRACKET ||
    byte === 0x20 ||
    byte === 0x0a ||
    byte === 0x0d ||
    byte === 0x09
  );
}

function decodeBinaryItems(items: RawItem[]): RawItem[] {
  items.forEach(decodeBinaryItem);
  return items;
}

/** Binary values arrive base64-encoded; the port (like the SDK) holds them as bytes. */
export function decodeBinaryItem(item: RawItem): void {
  for (const value of Object.values(item)) decodeBinary(value);
}

/**
 * Turns base64 `B` and `BS` values into bytes, in place, at any depth. Anything that is not an attribute value
 * object is left for explode to judge (JSON that DynamoDB would not send, but must not crash the page).
 */
function decodeBinary(value: AttributeValue): void {
  if (typeof value !== 'object' || value === null) return;
  const wire = value as Record<string, unknown>;
  if (typeof wire.B === 'string') wire.B = fromBase64(wire.B);
  else if (Array.isArray(wire.BS)) wire.BS = wire.BS.map((v) => (typeof v === 'string' ? fromBase64(v) : v));
  else if (Array.isArray(wire.L)) (wire.L as AttributeValue[]).forEach(decodeBinary);
  else if (typeof wire.M === 'object' && wire.M !== null)
    Object.values(wire.M as RawItem).forEach(decodeBinary);
}

function fromBase64(text: string): Uint8Array {
  const bytes = Buffer.from(text, 'base64');
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

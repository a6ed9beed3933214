/** Reading DynamoDB's JSON straight from its bytes: the few scanning steps the wire reader needs. */

export const OPEN_BRACE = 0x7b;
export const CLOSE_BRACE = 0x7d;
export const OPEN_BRACKET = 0x5b;
export const CLOSE_BRACKET = 0x5d;
export const QUOTE = 0x22;
export const BACKSLASH = 0x5c;
export const COLON = 0x3a;
export const COMMA = 0x2c;
export const LETTER_S = 0x53;
export const LETTER_L = 0x4c;

export function skipSpace(bytes: Buffer, at: number): number {
  while (at < bytes.length && isSpace(bytes[at]!)) at++;
  return at;
}

/** JSON's whitespace: space, line feed, carriage return, tab. */
export function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

/**
 * The index of the closing quote of the string at `at`, when its text is exactly its bytes: no escape, no
 * control character (which JSON forbids) and valid UTF-8 (which decoding would otherwise replace). Else -1.
 */
export function plainStringEnd(bytes: Buffer, at: number): number {
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
export function utf8SequenceLength(bytes: Buffer, i: number): number {
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

export function isContinuation(byte: number): boolean {
  return (byte & 0xc0) === 0x80;
}

/** The index past the string at `at` (escapes skipped, nothing checked). */
export function skipString(bytes: Buffer, at: number): number {
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
export function skipValue(bytes: Buffer, at: number): number {
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

export function isDelimiter(byte: number): boolean {
  return byte === COMMA || byte === CLOSE_BRACE || byte === CLOSE_BRACKET || isSpace(byte);
}

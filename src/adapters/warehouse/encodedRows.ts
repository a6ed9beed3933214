import type { CopyValue } from './copyValue';

/**
 * Rows encoded for a warehouse's bulk load as they are produced, held as UTF-8 buffers outside the
 * JavaScript heap. A scan page's ten thousand or so rows would otherwise live as ten thousand small arrays
 * until their COPY finishes, and the garbage collector would copy them over and over while they wait.
 */
export class EncodedRows {
  private readonly buffers: Buffer[] = [];
  /** The buffer rows are being written into, and how much of it is used. */
  private chunk: Buffer | undefined;
  private used = 0;
  private count = 0;

  /** How the dialect writes NULL (`lineOf([null])` without its newline): empty for PostgreSQL, `\N` for Redshift. */
  private readonly nullField: string;

  constructor(private readonly lineOf: (row: readonly CopyValue[]) => string) {
    this.nullField = lineOf([null]).slice(0, -1);
  }

  /**
   * Array-like on purpose: explode writes to an encoder or, in tests, to a plain array. A row of numbers,
   * booleans, NULLs and strings without quotes or NUL is written field by field, as `lineOf` would write it
   * (every string quoted, numbers and booleans as JavaScript prints them), without building the line; any
   * other row goes through `lineOf` itself.
   */
  push(row: readonly CopyValue[]): void {
    if (!isPlainRow(row)) {
      const line = this.lineOf(row);
      // UTF-8 takes at most 3 bytes per UTF-16 unit.
      const chunk = this.room(line.length * 3);
      this.used += chunk.write(line, this.used, 'utf8');
      this.count++;
      return;
    }
    let bytes = 1;
    for (let i = 0; i < row.length; i++) {
      const value = row[i];
      bytes += typeof value === 'string' ? value.length * 3 + 3 : MAX_SCALAR_BYTES;
    }
    const chunk = this.room(bytes + this.nullField.length * row.length);
    let at = this.used;
    for (let i = 0; i < row.length; i++) {
      if (i > 0) chunk[at++] = COMMA;
      const value = row[i];
      if (typeof value === 'string') {
        chunk[at++] = QUOTE;
        at = writeText(value, chunk, at);
        chunk[at++] = QUOTE;
      } else if (value === null || value === undefined) {
        at = writeText(this.nullField, chunk, at);
      } else if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < 10) {
        chunk[at++] = ZERO + value;
      } else {
        at = writeText(String(value), chunk, at);
      }
    }
    chunk[at++] = NEWLINE;
    this.used = at;
    this.count++;
  }

  /**
   * Writes the row `[id, position, text]` straight from UTF-8 bytes: `"id",position,"text"` and a newline,
   * which is the line `lineOf` gives for that row in the CSV both warehouses read, provided neither text holds
   * a double quote or a NUL (explode's flat path only passes text read from JSON without escapes, which has
   * neither). No string is made for either text.
   */
  pushTextRow(
    source: Uint8Array,
    idStart: number,
    idEnd: number,
    position: number,
    textStart: number,
    textEnd: number,
  ): void {
    const chunk = this.room(idEnd - idStart + (textEnd - textStart) + ROW_OVERHEAD_BYTES);
    let at = this.used;
    chunk[at++] = QUOTE;
    at = copyBytes(source, idStart, idEnd, chunk, at);
    chunk[at++] = QUOTE;
    chunk[at++] = COMMA;
    at = writeWholeNumber(position, chunk, at);
    chunk[at++] = COMMA;
    chunk[at++] = QUOTE;
    at = copyBytes(source, textStart, textEnd, chunk, at);
    chunk[at++] = QUOTE;
    chunk[at++] = NEWLINE;
    this.used = at;
    this.count++;
  }

  get length(): number {
    return this.count;
  }

  /** The encoded rows, in order. */
  chunks(): Buffer[] {
    this.seal();
    return this.buffers;
  }

  /** The current buffer, with at least `bytes` free after `used`. */
  private room(bytes: number): Buffer {
    const chunk = this.chunk;
    if (chunk !== undefined && this.used + bytes <= chunk.length) return chunk;
    this.seal();
    this.chunk = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, bytes));
    return this.chunk;
  }

  private seal(): void {
    if (this.used === 0 || this.chunk === undefined) return;
    this.buffers.push(this.chunk.subarray(0, this.used));
    this.chunk = this.chunk.subarray(this.used);
    this.used = 0;
  }
}

/** Bytes of each buffer rows are written into (more for a longer row). */
const CHUNK_BYTES = 64 * 1024;
/** Four quotes, two commas, a newline and up to ten digits of position. */
const ROW_OVERHEAD_BYTES = 17;
const QUOTE = 0x22;
const COMMA = 0x2c;
const NEWLINE = 0x0a;
const ZERO = 0x30;

/**
 * Room reserved for a number or boolean field and its comma: the longest `String(number)` is 25 characters
 * (`-0.0000014296452660057678`). Writes past a Buffer's end are dropped silently, so this must not shrink.
 */
const MAX_SCALAR_BYTES = 26;

/** Whether every value of `row` is written the same by every dialect but NULL (see `push`). */
function isPlainRow(row: readonly CopyValue[]): boolean {
  for (let i = 0; i < row.length; i++) {
    const value = row[i];
    if (typeof value === 'string') {
      if (value.includes('"') || value.includes('\u0000')) return false;
    } else if (
      value !== null &&
      value !== undefined &&
      typeof value !== 'number' &&
      typeof value !== 'boolean'
    ) {
      return false;
    }
  }
  return true;
}

/** Writes `text` as UTF-8: ASCII in a loop (query ids, instants, numbers), anything else natively. */
function writeText(text: string, target: Buffer, at: number): number {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x80) return at + target.write(text.slice(i), at, 'utf8');
    target[at++] = code;
  }
  return at;
}

/** Short texts (nearly all) copy faster in a loop than through a native call. */
function copyBytes(source: Uint8Array, start: number, end: number, target: Buffer, at: number): number {
  if (end - start > 64) {
    target.set(new Uint8Array(source.buffer, source.byteOffset + start, end - start), at);
    return at + (end - start);
  }
  for (let i = start; i < end; i++) target[at++] = source[i]!;
  return at;
}

function writeWholeNumber(value: number, target: Buffer, at: number): number {
  if (value < 10) {
    target[at] = ZERO + value;
    return at + 1;
  }
  const digits = String(value);
  for (let i = 0; i < digits.length; i++) target[at++] = digits.charCodeAt(i);
  return at;
}

export function isEncodedRows(rows: unknown): rows is EncodedRows {
  return rows instanceof EncodedRows;
}

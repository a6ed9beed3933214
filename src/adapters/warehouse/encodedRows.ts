import type { CopyValue } from './port';

/**
 * Rows encoded for a warehouse's bulk load as they are produced, held as UTF-8 buffers outside the
 * JavaScript heap. A scan page's ten thousand or so rows would otherwise live as ten thousand small arrays
 * until their COPY finishes, and the garbage collector would copy them over and over while they wait.
 */
export class EncodedRows {
  private readonly buffers: Buffer[] = [];
  /** Rows pushed as values, encoded as text until the text is long enough to move off-heap. */
  private pending = '';
  /** Rows written as bytes (`pushTextRow`). */
  private chunk: Buffer | undefined;
  private used = 0;
  private count = 0;

  constructor(private readonly lineOf: (row: readonly CopyValue[]) => string) {}

  /** Array-like on purpose: explode writes to an encoder or, in tests, to a plain array. */
  push(row: readonly CopyValue[]): void {
    if (this.used > 0) this.sealChunk();
    this.pending += this.lineOf(row);
    this.count++;
    if (this.pending.length >= FLUSH_CHARS) this.flushPending();
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
    if (this.pending !== '') this.flushPending();
    const needed = idEnd - idStart + (textEnd - textStart) + ROW_OVERHEAD_BYTES;
    let chunk = this.chunk;
    if (chunk === undefined || this.used + needed > chunk.length) {
      if (this.used > 0) this.sealChunk();
      chunk = this.chunk = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, needed));
    }
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
    this.flushPending();
    this.sealChunk();
    return this.buffers;
  }

  private flushPending(): void {
    if (this.pending === '') return;
    this.buffers.push(Buffer.from(this.pending, 'utf8'));
    this.pending = '';
  }

  private sealChunk(): void {
    if (this.used === 0 || this.chunk === undefined) return;
    this.buffers.push(this.chunk.subarray(0, this.used));
    this.chunk = this.chunk.subarray(this.used);
    this.used = 0;
  }
}

/** Characters encoded before they move off-heap: large enough for few buffers, small enough to stay young. */
const FLUSH_CHARS = 64 * 1024;
/** Bytes of each buffer `pushTextRow` writes into. */
const CHUNK_BYTES = 64 * 1024;
/** Four quotes, two commas, a newline and up to ten digits of position. */
const ROW_OVERHEAD_BYTES = 17;
const QUOTE = 0x22;
const COMMA = 0x2c;
const NEWLINE = 0x0a;
const ZERO = 0x30;

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

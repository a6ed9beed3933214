import type { CopyValue } from './port';

/**
 * Rows encoded for a warehouse's bulk load as they are produced, held as UTF-8 buffers outside the
 * JavaScript heap. A scan page's ten thousand or so rows would otherwise live as ten thousand small arrays
 * until their COPY finishes, and the garbage collector would copy them over and over while they wait.
 */
export class EncodedRows {
  private readonly buffers: Buffer[] = [];
  private pending = '';
  private count = 0;

  constructor(private readonly lineOf: (row: readonly CopyValue[]) => string) {}

  /** Array-like on purpose: explode writes to an encoder or, in tests, to a plain array. */
  push(row: readonly CopyValue[]): void {
    this.pending += this.lineOf(row);
    this.count++;
    if (this.pending.length >= FLUSH_CHARS) this.flush();
  }

  get length(): number {
    return this.count;
  }

  /** The encoded rows, in order. */
  chunks(): Buffer[] {
    this.flush();
    return this.buffers;
  }

  private flush(): void {
    if (this.pending === '') return;
    this.buffers.push(Buffer.from(this.pending, 'utf8'));
    this.pending = '';
  }
}

/** Characters encoded before they move off-heap: large enough for few buffers, small enough to stay young. */
const FLUSH_CHARS = 64 * 1024;

export function isEncodedRows(rows: unknown): rows is EncodedRows {
  return rows instanceof EncodedRows;
}

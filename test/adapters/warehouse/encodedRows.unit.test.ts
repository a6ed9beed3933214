import { csvLine } from '../../../src/adapters/warehouse/csv';
import { EncodedRows } from '../../../src/adapters/warehouse/encodedRows';
import type { CopyValue } from '../../../src/adapters/warehouse/port';
import { redshiftCsvLine } from '../../../src/adapters/warehouse/redshiftCopy';
import { createRandom } from '../../../src/seed/random';

const TEXTS = [
  '',
  'q-1',
  'python, flask',
  'say "hi"',
  'line\nbreak',
  '파이썬 🐍',
  'bad\uD800',
  '\\N',
  'x'.repeat(70_000),
];
const SCALARS: CopyValue[] = [null, 0, 7, 10, -3, 2.5, 1e21, true, false];

describe('EncodedRows', () => {
  it.each([
    ['PostgreSQL', csvLine],
    ['Redshift', redshiftCsvLine],
  ])('writes exactly what %s lineOf writes, in order, across many buffers', (_name, lineOf) => {
    const random = createRandom(`encoded-rows-${_name}`);
    const encoded = new EncodedRows(lineOf);
    let expected = '';
    for (let n = 0; n < 5_000; n++) {
      if (random.int(3) === 0) {
        // A text row from bytes, as explode's flat path writes it (no quotes or NUL in either text).
        const id = `id-${n}`;
        const text = ['키워드', 'plain', 'a,b', 'y'.repeat(100)][random.int(4)]!;
        const source = Buffer.from(`..${id}..${text}..`);
        const position = random.int(30);
        encoded.pushTextRow(
          source,
          2,
          2 + id.length,
          position,
          4 + id.length,
          4 + id.length + Buffer.byteLength(text),
        );
        expected += lineOf([id, position, text]);
        continue;
      }
      const row = Array.from({ length: 1 + random.int(6) }, () =>
        random.int(2) === 0 ? TEXTS[random.int(TEXTS.length)]! : SCALARS[random.int(SCALARS.length)]!,
      );
      encoded.push(row);
      expected += lineOf(row);
    }
    const chunks = encoded.chunks();
    expect(chunks.length).toBeGreaterThan(10);
    expect(Buffer.concat(chunks).equals(Buffer.from(expected, 'utf8'))).toBe(true);
    expect(encoded.length).toBe(5_000);
  });

  it('refuses a NUL in a Redshift value, as redshiftCsvLine does', () => {
    expect(() => new EncodedRows(redshiftCsvLine).push(['nul\u0000'])).toThrow(/NUL/);
  });
});

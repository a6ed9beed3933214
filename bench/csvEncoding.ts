import Papa from 'papaparse';
import type { CopyValue } from '../src/adapters/warehouse/port';
import { csvLine } from '../src/adapters/warehouse/csv';

/**
 * Why the COPY path writes CSV with `csvLine` rather than papaparse: the same exploded rows encoded both
 * ways, best of three rounds each (`npm run bench:csv`). Both quote every text field, so '' stays apart
 * from NULL and a lone `\.` can never end a COPY.
 */
const ROWS = 1_000_000;
const BATCH = 10_000;

const rows: CopyValue[][] = Array.from({ length: ROWS }, (_, i) => [
  `bdeca3e6-efe5-4728-9056-${String(i).padStart(12, '0')}`,
  '2024-05-16',
  i % 7,
  i % 3 ? '파이썬 python' : 'say "hi", ok',
  i % 4,
  i % 2,
]);

function best(label: string, encode: () => number): void {
  let fastest = Infinity;
  let bytes = 0;
  for (let round = 0; round < 3; round++) {
    const started = process.hrtime.bigint();
    bytes = encode();
    fastest = Math.min(fastest, Number(process.hrtime.bigint() - started) / 1e6);
  }
  const perSecond = Math.round((ROWS / fastest) * 1000).toLocaleString('en-US');
  console.log(
    `${label.padEnd(22)} ${fastest.toFixed(0).padStart(6)} ms  ${perSecond} rows/s  (${bytes.toLocaleString('en-US')} chars)`,
  );
}

best('csvLine', () => {
  let total = 0;
  let chunk = '';
  for (const row of rows) {
    chunk += csvLine(row);
    if (chunk.length >= 256 * 1024) {
      total += chunk.length;
      chunk = '';
    }
  }
  return total + chunk.length;
});

best('papaparse.unparse', () => {
  let total = 0;
  for (let i = 0; i < ROWS; i += BATCH) {
    const csv = Papa.unparse(rows.slice(i, i + BATCH), {
      quotes: rows[0]!.map((value) => typeof value === 'string'),
      newline: '\n',
    });
    total += csv.length + 1;
  }
  return total;
});

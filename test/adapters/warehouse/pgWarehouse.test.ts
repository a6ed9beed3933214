import type { Pool } from 'pg';
import { createPgPool, pgWarehouse } from '../../../src/adapters/warehouse/pgWarehouse';
import type { CopyValue, Warehouse } from '../../../src/adapters/warehouse/port';
import { freshDatabase, type TestDatabase } from '../../support/databases';

/** Text a CSV encoder can get wrong; `position` numbers the rows so they read back in order. */
const TRICKY: CopyValue[][] = [
  ['plain', 0, true],
  ['comma, "quoted" and\nnewline', 1, false],
  ['emoji 📚 and 한국어 도서관', 2, null],
  ['', 3, true],
  [null, 4, false],
  ['\\.', 5, null],
];

let db: TestDatabase;
let pool: Pool;
let warehouse: Warehouse;

beforeAll(async () => {
  db = await freshDatabase('pg_warehouse');
  pool = createPgPool(db.url);
  warehouse = pgWarehouse(pool);
  await warehouse.query('CREATE TABLE t (keyword VARCHAR(100), position INTEGER, failed BOOLEAN)');
});

afterAll(async () => {
  await pool.end();
  await db.drop();
});

beforeEach(() => warehouse.query('TRUNCATE t'));

const readBack = () =>
  warehouse.query<{ keyword: string | null; position: number | null; failed: boolean | null }>(
    'SELECT keyword, position, failed FROM t ORDER BY position',
  );
const asRows = (rows: CopyValue[][]) =>
  rows.map(([keyword, position, failed]) => ({ keyword, position, failed }));

describe('pgWarehouse copyIn', () => {
  it('loads encoder-made rows exactly as it loads plain rows, across many off-heap chunks', async () => {
    const many = Array.from({ length: 5_000 }, (_, i) => {
      const [keyword, , failed] = TRICKY[i % TRICKY.length]!;
      return [keyword, i, failed] as CopyValue[];
    });
    const encoded = warehouse.encoder();
    for (const row of many) encoded.push(row);
    expect(encoded.chunks().length).toBeGreaterThan(1);

    await expect(warehouse.copyIn('t', ['keyword', 'position', 'failed'], encoded)).resolves.toBe(
      many.length,
    );
    expect(await readBack()).toEqual(asRows(many));
  });

  it('streams pages of encoded rows into one COPY, empty pages included', async () => {
    const pageOf = (rows: CopyValue[][]) => {
      const encoded = warehouse.encoder();
      for (const row of rows) encoded.push(row);
      return encoded;
    };
    async function* pages() {
      yield pageOf(TRICKY.slice(0, 2));
      yield pageOf([]);
      yield pageOf(TRICKY.slice(2));
    }
    await expect(
      warehouse.copyIn('t', ['keyword', 'position', 'failed'], { encodedPages: pages() }),
    ).resolves.toBe(TRICKY.length);
    expect(await readBack()).toEqual(asRows(TRICKY));
  });

  it('copies inside a transaction: the rows vanish with a rollback', async () => {
    const encoded = warehouse.encoder();
    for (const row of TRICKY) encoded.push(row);
    await expect(
      warehouse.transaction(async (tx) => {
        await tx.copyIn('t', ['keyword', 'position', 'failed'], encoded);
        expect(await tx.query('SELECT COUNT(*) AS n FROM t')).toEqual([{ n: String(TRICKY.length) }]);
        throw new Error('abandon the page');
      }),
    ).rejects.toThrow('abandon the page');
    expect(await readBack()).toEqual([]);
  });
});

import type { Pool } from 'pg';
import { createPgPool, pgWarehouse } from '../../../src/adapters/warehouse/pgWarehouse';
import type { CopyValue, Warehouse } from '../../../src/adapters/warehouse/port';
import { RejectedDataError, ServiceUnavailableError } from '../../../src/errors';
import { freshDatabase, type TestDatabase } from '../../support/databases';

let db: TestDatabase;
let pool: Pool;
let warehouse: Warehouse;

beforeAll(async () => {
  db = await freshDatabase('pg_copy_abort');
  // One connection: whatever a failed COPY leaves behind is what the next query gets.
  pool = createPgPool(db.url, { max: 1 });
  warehouse = pgWarehouse(pool);
  await warehouse.query('CREATE TABLE t (keyword VARCHAR(100), position INTEGER)');
});

afterAll(async () => {
  await pool.end();
  await db.drop();
});

/** A row source that fails part-way, as RDS paging does when its server goes away mid-read. */
async function* failingSource(rowsBefore: number): AsyncIterable<readonly CopyValue[]> {
  for (let i = 0; i < rowsBefore; i++) yield [`keyword ${i}`, i];
  throw new ServiceUnavailableError('the rds database dropped the connection');
}

/** Fails the test instead of hanging it when the pool no longer answers. */
function withinSeconds<T>(seconds: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${seconds} s: the client hangs`)),
      seconds * 1000,
    );
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

describe('pgWarehouse: a row source failing mid-COPY', () => {
  it('fails copyIn with the source error, keeps no rows, and the pool still answers', async () => {
    await expect(
      withinSeconds(10, warehouse.copyIn('t', ['keyword', 'position'], failingSource(5000))),
    ).rejects.toBeInstanceOf(ServiceUnavailableError);
    await expect(withinSeconds(10, warehouse.query('SELECT count(*)::int AS n FROM t'))).resolves.toEqual([
      { n: 0 },
    ]);
  });

  it('fails a transaction with the source error, rolls it back, and the pool still answers', async () => {
    await expect(
      withinSeconds(
        10,
        warehouse.transaction(async (tx) => {
          await tx.query(`INSERT INTO t VALUES ('before the copy', -1)`);
          await tx.copyIn('t', ['keyword', 'position'], failingSource(3));
        }),
      ),
    ).rejects.toBeInstanceOf(ServiceUnavailableError);
    await expect(withinSeconds(10, warehouse.query('SELECT count(*)::int AS n FROM t'))).resolves.toEqual([
      { n: 0 },
    ]);
  });

  it('fails with the server refusing a row, and the pool still answers', async () => {
    await expect(
      withinSeconds(
        10,
        warehouse.copyIn(
          't',
          ['keyword', 'position'],
          [
            ['a', 1],
            ['b', 'not a number'],
          ],
        ),
      ),
    ).rejects.toBeInstanceOf(RejectedDataError);
    await expect(withinSeconds(10, warehouse.query('SELECT 1 AS one'))).resolves.toEqual([{ one: 1 }]);
  });

  it('still loads normally afterwards', async () => {
    await expect(
      withinSeconds(10, warehouse.copyIn('t', ['keyword', 'position'], [['after', 1]])),
    ).resolves.toBe(1);
  });
});

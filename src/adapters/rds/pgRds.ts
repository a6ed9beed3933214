import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Pool, PoolClient } from 'pg';
import { classifyPgError } from '../pgErrors';
import type { Row, SqlRunner, SqlValue } from '../warehouse/port';
import type { Rds, TransactionalRds } from './port';

const RDS = 'the RDS database';

/**
 * What fixes a table missing from the RDS database. libreport creates none of them there outside the local
 * stack: the service owns the database, and the staff directory is filled by `staff import` or by whoever
 * keeps the staff table.
 */
export function rdsMissingTableFix(table: string | undefined): string {
  const local = '(locally, "libreport setup" creates the tables)';
  return table === 'staff'
    ? `no one can be sent the report without the staff directory: point RDS_URL at the database whose staff table lists them, or create the table ${local} and fill it with "libreport staff import FILE.csv"`
    : `point RDS_URL at the service's database, which has it ${local}`;
}

export function pgRds(pool: Pool): TransactionalRds {
  return {
    ...runner(pool),
    async transaction<T>(work: (tx: SqlRunner) => Promise<T>): Promise<T> {
      let client: PoolClient;
      try {
        client = await pool.connect();
      } catch (error) {
        throw classifyPgError(error, RDS, rdsMissingTableFix);
      }
      try {
        await runner(client).query('BEGIN');
        const result = await work(runner(client));
        await runner(client).query('COMMIT');
        client.release();
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        // Closed rather than pooled: whatever state the failure left the connection in dies with it.
        client.release(error instanceof Error ? error : new Error(String(error)));
        throw error;
      }
    },
    pages: (sql, params, rowsPerPage) => cursorPages(pool, sql, params, rowsPerPage),
    close: () => pool.end(),
  };
}

/**
 * `DECLARE … CURSOR` + `FETCH n` in a read-only transaction. Paging by key instead (`WHERE key > $last ORDER
 * BY key LIMIT n`) runs the query again for every page, and when the filter is on another column (a day's
 * `chosen_at` range, paged by id) each page reads and sorts the rest of the day: quadratic in the day.
 */
async function* cursorPages<R extends Row>(
  pool: Pool,
  sql: string,
  params: readonly SqlValue[],
  rowsPerPage: number,
): AsyncGenerator<R[]> {
  let client: PoolClient;
  try {
    client = await pool.connect();
  } catch (error) {
    throw classifyPgError(error, 'the RDS database');
  }
  const rds = runner(client);
  let open = false;
  let failure: Error | undefined;
  try {
    await rds.query('BEGIN READ ONLY');
    open = true;
    await rds.query(`DECLARE rds_pages NO SCROLL CURSOR FOR ${sql}`, params);
    const fetch = `FETCH ${Math.max(1, Math.floor(rowsPerPage))} FROM rds_pages`;
    for (;;) {
      const rows = await rds.query<R>(fetch);
      if (rows.length > 0) yield rows;
      if (rows.length < rowsPerPage) break;
    }
    await rds.query('COMMIT');
    open = false;
  } catch (error) {
    failure = error instanceof Error ? error : new Error(String(error));
    throw error;
  } finally {
    // Failed, or the caller stopped early (return()): the transaction and its cursor end here.
    if (open) await client.query('ROLLBACK').catch(() => undefined);
    // After a failure the connection is closed rather than pooled: whatever state it was left in dies with it.
    client.release(failure);
  }
}

function runner(client: Pick<Pool, 'query'> | Pick<PoolClient, 'query'>): SqlRunner {
  return {
    async query<R extends Row = Row>(sql: string, params: readonly SqlValue[] = []): Promise<R[]> {
      try {
        return (await client.query(sql, params.length ? (params as SqlValue[]) : undefined)).rows as R[];
      } catch (error) {
        throw classifyPgError(error, RDS, rdsMissingTableFix);
      }
    },
  };
}

/** Creates the RDS tables when absent (used by the seeder and tests; production RDS already has them). */
export async function ensureRdsSchema(rds: Rds): Promise<void> {
  await rds.query(readFileSync(path.join(__dirname, 'schema.sql'), 'utf8'));
}

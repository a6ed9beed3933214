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
    close: () => pool.end(),
  };
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

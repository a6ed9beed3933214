import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Pool } from 'pg';
import { classifyPgError } from '../pgErrors';
import type { Row, SqlValue } from '../warehouse/port';
import type { Rds } from './port';

export function pgRds(pool: Pool): Rds {
  return {
    async query<R extends Row = Row>(sql: string, params: readonly SqlValue[] = []): Promise<R[]> {
      try {
        return (await pool.query(sql, params.length ? (params as SqlValue[]) : undefined)).rows as R[];
      } catch (error) {
        throw classifyPgError(error, 'the RDS database');
      }
    },
    close: () => pool.end(),
  };
}

/** Creates the RDS tables when absent (used by the seeder and tests; production RDS already has them). */
export async function ensureRdsSchema(rds: Rds): Promise<void> {
  await rds.query(readFileSync(path.join(__dirname, 'schema.sql'), 'utf8'));
}

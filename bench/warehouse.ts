import type { Pool } from 'pg';
import { ensureWarehouseSchema as ensureSchema } from '../src/activities/warehouseSchema';
import { pgWarehouse } from '../src/adapters/warehouse/pgWarehouse';

/** The warehouse's own DDL (idempotent), so the floor can shape its tables `LIKE` the real ones before any run. */
export async function ensureWarehouseSchema(pool: Pool): Promise<void> {
  await ensureSchema(pgWarehouse(pool));
}

/**
 * Empties the benchmark warehouse's day tables, so every pipeline run loads a new day into empty tables,
 * as the floor copies into fresh ones (and a previous run's 10M rows are not deleted inside the timed load).
 */
export async function emptyWarehouse(pool: Pool): Promise<void> {
  for (const table of DAY_TABLES) {
    const [row] = (
      await pool.query<{ present: boolean }>('SELECT to_regclass($1) IS NOT NULL AS present', [table])
    ).rows;
    if (row?.present) await pool.query(`TRUNCATE ${table}`);
  }
}

/** Tables a run fills for its day; the delivery ledger too, so every run really sends its email. */
const DAY_TABLES = [
  'dw.search_query',
  'dw.search_keyword',
  'dw.search_library',
  'dw.search_isbn13',
  'dw.quarantine',
  'dw.user_choice',
  'dw.book_info',
  'dw.delivery_ledger',
] as const;

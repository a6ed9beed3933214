import { createMartActivities } from '../../src/activities/mart';
import { MART_TABLES } from '../../src/activities/sql/mart';
import { createPgPool, pgWarehouse } from '../../src/adapters/warehouse/pgWarehouse';
import type { Warehouse } from '../../src/adapters/warehouse/port';
import { freshDatabase, type TestDatabase } from '../support/databases';
import {
  AFTER_MIDNIGHT_DAY,
  BIG_DAY,
  BIG_DAY_SEARCHES,
  BOOKS,
  DAY,
  DAY_BEFORE,
  DAY_BEFORE_CHOICES,
  DAY_BEFORE_SEARCHES,
  DAY_CHOICES,
  DAY_SEARCHES,
  MIDNIGHT_CHOICES,
  MIDNIGHT_DAY,
  MIDNIGHT_SEARCHES,
  NEXT_DAY,
  NEXT_DAY_SEARCHES,
  plainSearches,
  STALE_DAY,
  STALE_DAY_SEARCHES,
  WEEK_BEFORE,
  WEEK_BEFORE_SEARCHES,
} from './martFixture';
import { createWarehouseSchema, insertBooks, insertChoices, insertSearches } from './martRows';

export const SEOUL = 'Asia/Seoul';

/** Request counts per day for the data-quality tests (median of 09-01…09-07 is 10). */
export const QUALITY_DAYS: Record<string, number> = {
  '2024-09-01': 5,
  '2024-09-02': 9,
  '2024-09-03': 10,
  '2024-09-04': 11,
  '2024-09-05': 12,
  '2024-09-06': 30,
  '2024-09-07': 8,
  '2024-09-08': 100,
  '2024-09-09': 10,
  '2024-09-10': 2,
};
/** Refreshed with nothing in the warehouse: a mart row with zero requests. */
export const EMPTY_DAY = '2024-07-01';
/** Never refreshed: no mart row at all. */
export const UNREFRESHED_DAY = '2024-07-02';

export interface MartWarehouse {
  warehouse: Warehouse;
  mart: ReturnType<typeof createMartActivities>;
}

/**
 * A fresh PostgreSQL warehouse for one suite, holding every fixture day with its mart refreshed (in Seoul
 * time); filled in by the suite's beforeAll and dropped after it.
 */
export function useMartWarehouse(name: string): MartWarehouse {
  const context = {} as MartWarehouse;
  let db: TestDatabase | undefined;

  beforeAll(async () => {
    db = await freshDatabase(name);
    const warehouse = pgWarehouse(createPgPool(db.url));
    context.warehouse = warehouse;
    await createWarehouseSchema(warehouse);
    await insertSearches(warehouse, [
      ...DAY_SEARCHES,
      ...DAY_BEFORE_SEARCHES,
      ...WEEK_BEFORE_SEARCHES,
      ...NEXT_DAY_SEARCHES,
      ...BIG_DAY_SEARCHES,
      ...STALE_DAY_SEARCHES,
      ...MIDNIGHT_SEARCHES,
      ...Object.entries(QUALITY_DAYS).flatMap(([date, count]) => plainSearches(date, count)),
    ]);
    await insertChoices(warehouse, [...DAY_CHOICES, ...DAY_BEFORE_CHOICES, ...MIDNIGHT_CHOICES]);
    await insertBooks(warehouse, BOOKS);
    context.mart = createMartActivities({ warehouse });
    for (const date of [
      STALE_DAY,
      WEEK_BEFORE,
      DAY_BEFORE,
      DAY,
      NEXT_DAY,
      BIG_DAY,
      EMPTY_DAY,
      MIDNIGHT_DAY,
      AFTER_MIDNIGHT_DAY,
      ...Object.keys(QUALITY_DAYS),
    ]) {
      await context.mart.refreshMart({ date, timeZone: SEOUL });
    }
  });

  afterAll(async () => {
    await context.warehouse?.close();
    await db?.drop();
  });

  return context;
}

/** A mart table's rows for one day, without report_date, in a stable order. */
export async function martRows(
  warehouse: Warehouse,
  table: string,
  date: string,
  orderBy: string,
): Promise<Record<string, unknown>[]> {
  const rows = await warehouse.query(
    `SELECT * FROM mart.${table} WHERE report_date = $1 ORDER BY ${orderBy}`,
    [date],
  );
  return rows.map(({ report_date: _date, ...rest }) => normalise(rest));
}

/** COUNT/BIGINT columns arrive as strings from pg; compare numbers as numbers. */
function normalise(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(row).map(([k, v]) => [
      k,
      typeof v === 'string' && /^-?\d+$/.test(v) && k !== 'isbn13' ? Number(v) : v,
    ]),
  );
}

/** Every row of every mart table, for comparing whole-mart snapshots. */
export async function snapshot(warehouse: Warehouse): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const table of MART_TABLES) {
    out[table] = await warehouse.query(`SELECT * FROM mart.${table} ORDER BY 1, 2, 3`);
  }
  return out;
}

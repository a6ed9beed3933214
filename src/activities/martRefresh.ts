import { asyncLocalStorage } from '@temporalio/activity';
import type { SqlRunner, Warehouse } from '../adapters/warehouse/port';
import { addDays } from '../domain/reportDate';
import { UserInputError } from '../errors';
import { requireDate } from './reportData';
import {
  countDayRows,
  martSchemaStatements,
  MART_TOP_ROWS,
  type MartTable,
  refreshLockStatement,
  refreshStatements,
} from './sql/mart';

export interface RefreshMartInput {
  /** The report day, YYYY-MM-DD (the warehouse's `query_date`). */
  readonly date: string;
  /** IANA time zone the hourly counts are told in; defaults to the one the activities were built with. */
  readonly timeZone?: string;
}

/** What a refresh left in the mart: rows per table for the day (counts only, never rows). */
export interface RefreshMartResult {
  readonly date: string;
  readonly rows: Record<MartTable, number>;
}

/** The report's time zone when neither the activities nor the call name one (the seed's staff are in Seoul). */
const DEFAULT_TIME_ZONE = 'Asia/Seoul';

/** The mart's refresh: every mart table's rows of one day, rebuilt from the warehouse (sql/mart/*.sql). */
export function createMartRefreshActivities(deps: { warehouse: Warehouse; timeZone?: string }) {
  const { warehouse } = deps;

  /**
   * Rebuilds every mart table for one day in one transaction: readers see the old day or the new day.
   * Each table loses only that day's rows, so other days stay as they were.
   */
  async function refreshMart(input: RefreshMartInput): Promise<RefreshMartResult> {
    requireDate(input.date);
    const timeZone = input.timeZone ?? deps.timeZone ?? DEFAULT_TIME_ZONE;
    requireTimeZone(timeZone);
    await ensureMartSchema(warehouse);
    const plan = refreshStatements(
      {
        report_date: input.date,
        next_date: addDays(input.date, 1),
        top_rows: MART_TOP_ROWS,
        time_zone: timeZone,
      },
      warehouse.dialect,
    );
    const rows = await warehouse.transaction(async (tx) => {
      await tx.query(refreshLockStatement(warehouse.dialect));
      const counts: Partial<Record<MartTable, number>> = {};
      for (const { table, statements } of plan) {
        for (const statement of statements) await tx.query(statement.sql, statement.params);
        counts[table] = await countRows(tx, table, input.date);
        heartbeat(table);
      }
      return counts as Record<MartTable, number>;
    });
    return { date: input.date, rows };
  }

  return { refreshMart };
}

/** Creates the mart schema and tables when missing; every statement is safe to repeat. */
export async function ensureMartSchema(warehouse: Warehouse): Promise<void> {
  for (const statement of martSchemaStatements(warehouse.dialect)) await warehouse.query(statement);
}

async function countRows(tx: SqlRunner, table: MartTable, date: string): Promise<number> {
  const [row] = await tx.query<{ n: unknown }>(countDayRows(table), [date]);
  return Number(row?.n ?? 0);
}

/** Heartbeats when running as a Temporal activity; a plain in-process call has no one to tell. */
function heartbeat(detail: string): void {
  asyncLocalStorage.getStore()?.heartbeat(detail);
}

function requireTimeZone(timeZone: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    throw new UserInputError(`time zone "${timeZone}" is not an IANA time zone such as Asia/Seoul`);
  }
}

import { randomBytes } from 'node:crypto';
import { asyncLocalStorage } from '@temporalio/activity';
import type { SqlRunner, Warehouse } from '../adapters/warehouse/port';
import { addDays } from '../domain/reportDate';
import { UserInputError } from '../errors';
import { requireDate } from './reportData';
import {
  countDayRows,
  martSchemaStatements,
  MART_TABLES,
  MART_TOP_ROWS,
  type MartTable,
  type MartValues,
  refreshLockStatement,
  refreshStatements,
} from './sql/mart';
import {
  createMartWorkSchema,
  dropWorkTable,
  type LaneStep,
  selectWorkTables,
  staleWorkTables,
  twoLaneRefresh,
  workToken,
} from './sql/martLanes';

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
    const values: MartValues = {
      report_date: input.date,
      next_date: addDays(input.date, 1),
      top_rows: MART_TOP_ROWS,
      time_zone: timeZone,
    };
    const rows =
      warehouse.dialect === 'postgres'
        ? await refreshInTwoLanes(warehouse, values)
        : await warehouse.transaction(async (tx) => {
            await tx.query(refreshLockStatement(warehouse.dialect));
            return runSteps(tx, refreshStatements(values, warehouse.dialect), input.date, {});
          });
    // In MART_TABLES order, whichever order the lanes refreshed them in.
    return {
      date: input.date,
      rows: Object.fromEntries(MART_TABLES.map((table) => [table, rows[table] ?? 0])) as Record<
        MartTable,
        number
      >,
    };
  }

  return { refreshMart };
}

/**
 * PostgreSQL: the refresh with its second lane on another connection (sql/martLanes.ts says why and how).
 * The second lane takes its connection before the refresh's transaction takes one and never waits on it, so
 * refreshes at once cannot hold every pooled connection while each waits for another.
 */
async function refreshInTwoLanes(
  warehouse: Warehouse,
  values: MartValues,
): Promise<Partial<Record<MartTable, number>>> {
  await warehouse.query(createMartWorkSchema);
  const now = Date.now();
  const left = await warehouse.query<{ tablename: string }>(selectWorkTables);
  for (const stale of staleWorkTables(
    left.map((r) => r.tablename),
    now,
  )) {
    await warehouse.query(dropWorkTable(stale));
  }
  const plan = twoLaneRefresh(values, workToken(now, randomBytes(3).toString('hex')));
  let started!: () => void;
  const connected = new Promise<void>((resolve) => (started = resolve));
  const second = warehouse.transaction(async (tx) => {
    started();
    for (const statement of plan.second) await tx.query(statement.sql, statement.params);
  });
  // Awaited below, whichever way the refresh goes; this keeps a failure meanwhile from going unhandled.
  second.catch(() => undefined);
  try {
    await Promise.race([connected, second]);
    return await warehouse.transaction(async (tx) => {
      await tx.query(refreshLockStatement('postgres'));
      const counts = await runSteps(tx, plan.first, values.report_date, {});
      await second;
      return runSteps(tx, plan.rest, values.report_date, counts);
    });
  } catch (error) {
    // The work tables go with a failed refresh; a successful one dropped them in its own transaction.
    await second.catch(() => undefined);
    for (const work of plan.workTables) await warehouse.query(dropWorkTable(work)).catch(() => undefined);
    throw error;
  }
}

/** Runs each table's statements, then counts and heartbeats it. */
async function runSteps(
  tx: SqlRunner,
  steps: readonly LaneStep[],
  date: string,
  counts: Partial<Record<MartTable, number>>,
): Promise<Partial<Record<MartTable, number>>> {
  for (const { table, statements } of steps) {
    for (const statement of statements) await tx.query(statement.sql, statement.params);
    counts[table] = await countRows(tx, table, date);
    heartbeat(table);
  }
  return counts;
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

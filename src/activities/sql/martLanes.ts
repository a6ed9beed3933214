import {
  bindNamed,
  MART_REFRESH,
  MART_TABLES,
  type BoundStatement,
  type MartTable,
  type MartValues,
  refreshStatements,
  refreshValues,
  splitMartInsert,
} from './mart';

/*
 * PostgreSQL only: the mart's refresh in two lanes. Each of the mart's SELECTs runs on one backend (the
 * aggregations over a day's query ids gain nothing from parallel workers), so one transaction keeps one core
 * busy: 4.3-4.6 s of a 1M-item day's end to end. The leaf tables, those that read only `dw`, split into two
 * lanes of about equal cost. The second lane's SELECTs run on a second connection, each into an unlogged
 * work table. The refresh's own transaction computes the first lane's, then takes the second lane's rows
 * from the work tables, then refreshes the tables that read other mart tables, as before. Readers still see
 * the old day or the new day of every mart table: only the refresh's own transaction writes to `mart`.
 * Each statement reads the committed warehouse, as each statement of the one-transaction refresh did.
 */

/** Where the second lane leaves its rows; only refreshes write here, and each drops its own tables. */
export const MART_WORK_SCHEMA = 'mart_work';

export const createMartWorkSchema = `CREATE SCHEMA IF NOT EXISTS ${MART_WORK_SCHEMA}`;

/**
 * Leaf tables computed by the refresh's own transaction, while the second lane runs. On the bench's 1M-item
 * day: daily_choices 1.4-1.6 s, queries_per_user 0.7-0.9 s.
 */
export const FIRST_LANE: readonly MartTable[] = ['daily_choices', 'queries_per_user'];

/**
 * Leaf tables computed on the second connection. On the bench's 1M-item day: daily_counts 1.2-1.4 s (its
 * three counts already run on parallel workers), failed_keyword_ranking 0.7-0.8 s, hourly_requests 0.2 s.
 */
export const SECOND_LANE: readonly MartTable[] = [
  'hourly_requests',
  'daily_counts',
  'failed_keyword_ranking',
];

/** A work table older than this is left from a refresh that died (no refresh takes near this long). */
export const STALE_WORK_TABLE_MS = 60 * 60 * 1000;

export interface LaneStep {
  readonly table: MartTable;
  readonly statements: BoundStatement[];
}

export interface TwoLaneRefresh {
  /** The second connection's statements, in one transaction: a CREATE UNLOGGED TABLE … AS SELECT per table. */
  readonly second: BoundStatement[];
  /** The refresh's own transaction, before it needs the second lane's rows. */
  readonly first: LaneStep[];
  /** Then, once the second lane has committed: every other table, in `MART_TABLES` order. */
  readonly rest: LaneStep[];
  /** The work tables (schema-qualified) this refresh creates, to drop when it fails. */
  readonly workTables: string[];
}

/**
 * The two-lane refresh of one day. `token` makes its work tables its own (refreshes of the same day may run
 * at once) and tells their age: `workToken`.
 */
export function twoLaneRefresh(values: MartValues, token: string): TwoLaneRefresh {
  const named = refreshValues(values);
  const single = new Map(refreshStatements(values, 'postgres').map((step) => [step.table, step.statements]));
  const second: BoundStatement[] = [];
  const workTables: string[] = [];
  const steps = new Map<MartTable, BoundStatement[]>();
  for (const table of MART_TABLES) {
    if (!SECOND_LANE.includes(table)) {
      steps.set(table, single.get(table)!);
      continue;
    }
    const work = `${MART_WORK_SCHEMA}.${token}_${table}`;
    workTables.push(work);
    const [remove, insert] = MART_REFRESH[table];
    const { columns, select } = splitMartInsert(table, insert!);
    second.push(bindNamed(`CREATE UNLOGGED TABLE ${work} AS\n${select}`, named));
    steps.set(table, [
      bindNamed(remove!, named),
      { sql: `INSERT INTO mart.${table} ${columns} SELECT * FROM ${work}`, params: [] },
      { sql: `DROP TABLE ${work}`, params: [] },
    ]);
  }
  const step = (table: MartTable): LaneStep => ({ table, statements: steps.get(table)! });
  return {
    second,
    first: FIRST_LANE.map(step),
    rest: MART_TABLES.filter((table) => !FIRST_LANE.includes(table)).map(step),
    workTables,
  };
}

/** A refresh's work-table prefix: when it started (seconds) and a random part, e.g. `t1733500000_9f3a1c`. */
export function workToken(nowMs: number, random: string): string {
  if (!/^[0-9a-f]{6}$/.test(random)) throw new Error(`work token part "${random}" is not 6 hex digits`);
  return `t${Math.floor(nowMs / 1000)}_${random}`;
}

/** The work tables in the schema; `staleWorkTables` picks those a dead refresh left. */
export const selectWorkTables = `SELECT tablename FROM pg_tables WHERE schemaname = '${MART_WORK_SCHEMA}'`;

/** Work tables whose token says they were made more than `STALE_WORK_TABLE_MS` before `nowMs`. */
export function staleWorkTables(names: readonly string[], nowMs: number): string[] {
  return names
    .filter((name) => {
      const started = /^t([0-9]{1,12})_[0-9a-f]{6}_[a-z_]+$/.exec(name);
      return started !== null && nowMs - Number(started[1]) * 1000 > STALE_WORK_TABLE_MS;
    })
    .map((name) => `${MART_WORK_SCHEMA}.${name}`);
}

export function dropWorkTable(qualifiedName: string): string {
  if (!/^mart_work\.t[0-9]{1,12}_[0-9a-f]{6}_[a-z_]+$/.test(qualifiedName)) {
    throw new Error(`"${qualifiedName}" is not a mart work table`);
  }
  return `DROP TABLE IF EXISTS ${qualifiedName}`;
}

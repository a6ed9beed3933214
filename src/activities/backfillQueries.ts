import type { Warehouse } from '../adapters/warehouse/port';

/** The last recorded load of a day in `dw.load_audit`. */
export interface DayOutcome {
  readonly date: string;
  /** `loaded` or `reconciliation_failed` (see `LoadSummary.outcome`). */
  readonly outcome: string;
}

/** Whether the warehouse has its audit table yet (a fresh warehouse has none until the first load). */
export const auditTableExists = `SELECT 1 AS present FROM information_schema.tables WHERE table_schema = 'dw' AND table_name = 'load_audit'`;

/** The latest audit row per day in a range; `$1`/`$2` are the first and last day, both included. */
export const lastOutcomePerDay = `SELECT query_date, outcome FROM (
  SELECT TO_CHAR(query_date, 'YYYY-MM-DD') AS query_date, outcome,
         ROW_NUMBER() OVER (PARTITION BY query_date ORDER BY finished_at DESC) AS latest
  FROM dw.load_audit WHERE query_date BETWEEN $1 AND $2
) audited WHERE latest = 1 ORDER BY query_date`;

/** Reads the backfill workflow needs: which days the warehouse already holds. */
export function createBackfillQueryActivities(deps: { warehouse: Warehouse }) {
  const { warehouse } = deps;

  /** The last load outcome of every audited day from `from` to `to`; days never loaded are absent. */
  async function lastLoadOutcomes(input: { from: string; to: string }): Promise<DayOutcome[]> {
    if ((await warehouse.query(auditTableExists)).length === 0) return [];
    const rows = await warehouse.query<{ query_date: string; outcome: string }>(lastOutcomePerDay, [
      input.from,
      input.to,
    ]);
    return rows.map((row) => ({ date: row.query_date, outcome: row.outcome }));
  }

  return { lastLoadOutcomes };
}

export type BackfillQueryActivities = ReturnType<typeof createBackfillQueryActivities>;

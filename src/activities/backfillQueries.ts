import type { Warehouse } from '../adapters/warehouse/port';
import { auditTableExists, lastOutcomePerDay } from './sql/backfill';

/** The last recorded load of a day in `dw.load_audit`. */
export interface DayOutcome {
  readonly date: string;
  /** `loaded` or `reconciliation_failed` (see `LoadSummary.outcome`). */
  readonly outcome: string;
}

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

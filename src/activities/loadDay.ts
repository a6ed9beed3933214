import { Context } from '@temporalio/activity';
import type { SqlRunner, Warehouse } from '../adapters/warehouse/port';
import {
  addStatementCounts,
  countWarehouseWork,
  noStatements,
  statementsSoFar,
} from '../adapters/warehouse/statementCounts';
import { ReconciliationError } from '../errors';
import { heartbeatIntervalMs } from './heartbeat';
import type { LoadDayInput, LoadSummary } from './loadSummary';
import { auditParams, summarize } from './reconciliation';
import { zeroCounts, type SegmentCounts } from './segmentCounts';
import {
  analyzeChoices,
  analyzeDayTables,
  analyzeStagedDay,
  dayTablesHaveStatistics,
  freezeStagedDay,
} from './sql/partitions';
import {
  countStagedQuarantineReasons,
  insertAudit,
  loadedCountsQuery,
  replaceDayStatements,
  selectLoadedAudit,
} from './sql/load';
import { stagingTables } from './sql/staging';

export type { LoadDayInput, LoadSummary } from './loadSummary';

/** The day's load: one transaction that replaces the day in every target and reconciles it. */
export function createLoadDayActivities(deps: { warehouse: Warehouse }) {
  const { warehouse } = deps;

  /**
   * Replaces the day in every target in one transaction, then reconciles what the scan saw against what
   * landed. A mismatch rolls the load back (the previous version of the day stays) and fails the run.
   */
  async function loadDay(input: LoadDayInput): Promise<LoadSummary> {
    const tables = stagingTables(input.runKey);
    // A retry after a commit whose acknowledgement was lost finds its staged day already attached (moved
    // away on PostgreSQL): the audit row written in that commit is the load's result.
    const [done] = await warehouse.query<{ summary: string }>(selectLoadedAudit, [input.runId, input.date]);
    // (Audit rows written before statements were counted have no counts: they read as zero.)
    if (done) {
      const stored = JSON.parse(done.summary) as Partial<LoadSummary> & Omit<LoadSummary, 'warehouse'>;
      return { ...stored, warehouse: stored.warehouse ?? noStatements() };
    }

    const seen = input.segments.reduce<SegmentCounts>((sum, s) => {
      for (const key of Object.keys(sum) as (keyof SegmentCounts)[]) sum[key] += s[key] ?? 0;
      return sum;
    }, zeroCounts());

    const earlier = input.segments.reduce(
      (sum, s) => addStatementCounts(sum, s.warehouse),
      addStatementCounts(noStatements(), input.rds.warehouse),
    );
    const countLoaded = async (runner: SqlRunner, read: 'warehouse' | 'staging') => {
      const [row] = await runner.query<Record<string, string | number>>(
        loadedCountsQuery(tables, read, warehouse.dialect),
        [input.date],
      );
      return Object.fromEntries(Object.entries(row!).map(([k, v]) => [k, Number(v)]));
    };
    let summary: LoadSummary | undefined;
    // Counting and the transaction are long calls: a timer keeps the heartbeat going so a dead worker is
    // noticed quickly while a live one is never timed out, however large the day.
    const context = Context.current();
    const beat = setInterval(() => context.heartbeat(), heartbeatIntervalMs());
    try {
      await warehouse.transaction(async (tx) => {
        const postgres = warehouse.dialect === 'postgres';
        // PostgreSQL attaches the staged tables as they are: with writers shut out of staging (say, a zombie
        // attempt of a segment), counting them is counting what lands, and a day that does not reconcile is
        // refused before anything is swapped. Redshift copies, then counts what the copy left.
        if (postgres) {
          await tx.query(freezeStagedDay(tables));
          for (const statement of analyzeStagedDay(tables)) await tx.query(statement);
        }
        const byReason = Object.fromEntries(
          (await tx.query<{ reason: string; n: string | number }>(countStagedQuarantineReasons(tables))).map(
            (r) => [r.reason, Number(r.n)],
          ),
        );
        const reconcile = (loaded: Record<string, number>) => {
          summary = summarize(input, seen, loaded, byReason, addStatementCounts(earlier, statementsSoFar()));
          if (summary.mismatches.length) {
            throw new ReconciliationError(
              `day ${input.date} does not reconcile: ${summary.mismatches.join('; ')}`,
            );
          }
        };
        if (postgres) reconcile(await countLoaded(tx, 'staging'));
        for (const statement of replaceDayStatements(tables, warehouse.dialect)) {
          await tx.query(statement, statement.includes('$1') ? [input.date] : []);
        }
        if (postgres) {
          await tx.query(analyzeChoices);
          if (!(await tx.query(dayTablesHaveStatistics)).length) await tx.query(analyzeDayTables());
        } else {
          reconcile(await countLoaded(tx, 'warehouse'));
        }
        // Counted up to the audit row (its INSERT and the COMMIT not included), so a retry that reads the
        // row back returns the same summary.
        summary = { ...summary!, warehouse: addStatementCounts(earlier, statementsSoFar()) };
        await tx.query(insertAudit, auditParams(summary, input.startedAt));
      });
    } catch (error) {
      if (error instanceof ReconciliationError && summary) {
        await warehouse.query(insertAudit, auditParams(summary, input.startedAt));
      }
      throw error;
    } finally {
      clearInterval(beat);
    }
    return summary!;
  }

  return {
    loadDay: async (input: LoadDayInput): Promise<LoadSummary> =>
      (await countWarehouseWork(() => loadDay(input)))[0],
  };
}

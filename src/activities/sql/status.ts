/** What `libreport status` reads from the warehouse. Every value is a numbered parameter. */

export { auditTableExists } from './backfill';

export const ledgerTableExists = `SELECT 1 AS present FROM information_schema.tables WHERE table_schema = 'dw' AND table_name = 'delivery_ledger'`;

export const quarantineTableExists = `SELECT 1 AS present FROM information_schema.tables WHERE table_schema = 'dw' AND table_name = 'quarantine'`;

/** The audit rows of `count` runs, by run id (`$1…$count`). */
export function selectRunAudits(count: number): string {
  return `SELECT run_id, outcome, summary FROM dw.load_audit WHERE run_id IN (${placeholders(count)})`;
}

/** The daily report's ledger rows of `count` days (`$1…$count`), counted by kind and status. */
export function countDailyDeliveries(count: number): string {
  return `SELECT TO_CHAR(report_date, 'YYYY-MM-DD') AS day, kind, status, COUNT(*) AS n FROM dw.delivery_ledger
     WHERE report_date IN (${placeholders(count)}) AND delivery_key = 'daily'
     GROUP BY report_date, kind, status`;
}

/** Items quarantined under no day (no usable `query_date`), by reason. */
export const countUndatedByReason = `SELECT reason, COUNT(*) AS n FROM dw.quarantine WHERE query_date IS NULL GROUP BY reason ORDER BY reason`;

function placeholders(count: number): string {
  return Array.from({ length: count }, (_, i) => `$${i + 1}`).join(', ');
}

/** Whether the warehouse has its audit table yet (a fresh warehouse has none until the first load). */
export const auditTableExists = `SELECT 1 AS present FROM information_schema.tables WHERE table_schema = 'dw' AND table_name = 'load_audit'`;

/** The latest audit row per day in a range; `$1`/`$2` are the first and last day, both included. */
export const lastOutcomePerDay = `SELECT query_date, outcome FROM (
  SELECT TO_CHAR(query_date, 'YYYY-MM-DD') AS query_date, outcome,
         ROW_NUMBER() OVER (PARTITION BY query_date ORDER BY finished_at DESC) AS latest
  FROM dw.load_audit WHERE query_date BETWEEN $1 AND $2
) audited WHERE latest = 1 ORDER BY query_date`;

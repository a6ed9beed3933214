/** SQL for the delivery ledger (`dw.delivery_ledger`), as pure functions; `$1..$3` name the delivery. */

export const selectLedger = `SELECT recipient, status FROM dw.delivery_ledger
  WHERE report_date = $1 AND kind = $2 AND delivery_key = $3`;

/** The ledger's key: one row per recipient per delivery. */
export const LEDGER_KEY = ['report_date', 'kind', 'delivery_key', 'recipient'] as const;

/**
 * Records recipients with `status` and the time: `$4…$6` are status, message id and detail, `$7…` the
 * recipients, then the time. Plain INSERT: atomic only under the Redshift claim's lock (see `claimRecipients`).
 */
export function insertLedgerRows(count: number): string {
  const rows = Array.from(
    { length: count },
    (_, i) => `($1, $2, $3, $${i + 7}, $4, $5, $6, CAST($${count + 7} AS TIMESTAMPTZ))`,
  );
  return `INSERT INTO dw.delivery_ledger (report_date, kind, delivery_key, recipient, status, message_id, detail, updated_at)
    VALUES ${rows.join(', ')}`;
}

/** Sets the outcome for `$8…` recipients. */
export function updateLedgerRows(count: number): string {
  const recipients = Array.from({ length: count }, (_, i) => `$${i + 8}`).join(', ');
  return `UPDATE dw.delivery_ledger SET status = $4, message_id = $5, detail = $6, updated_at = CAST($7 AS TIMESTAMPTZ)
    WHERE report_date = $1 AND kind = $2 AND delivery_key = $3 AND recipient IN (${recipients})`;
}

/** Releases claims whose send certainly did not happen (connection refused, throttled). */
export function deleteClaims(count: number): string {
  const recipients = Array.from({ length: count }, (_, i) => `$${i + 4}`).join(', ');
  return `DELETE FROM dw.delivery_ledger WHERE report_date = $1 AND kind = $2 AND delivery_key = $3
    AND status = 'sending' AND recipient IN (${recipients})`;
}

/** A claim left by an attempt that died mid-send: it may or may not have gone out. */
export const markAbandonedClaimsUnknown = `UPDATE dw.delivery_ledger SET status = 'unknown',
    detail = 'an earlier attempt stopped during the send; not sent again (use resend if needed)', updated_at = CAST($4 AS TIMESTAMPTZ)
  WHERE report_date = $1 AND kind = $2 AND delivery_key = $3 AND status = 'sending'`;

/**
 * PostgreSQL's claim (same parameters as `insertLedgerRows`): the unique key makes a recipient someone else
 * claimed a conflict, so only the recipients returned are this attempt's to send to.
 */
export function claimLedgerRowsPostgres(count: number): string {
  return `${insertLedgerRows(count)}
    ON CONFLICT (${LEDGER_KEY.join(', ')}) DO NOTHING RETURNING recipient`;
}

/** Redshift enforces no keys: its claim holds this lock, reads who is claimed, and inserts the rest. */
export const lockLedger = `LOCK dw.delivery_ledger`;

/** Which of `$4…` recipients already have a row in this delivery. */
export function selectClaimed(count: number): string {
  const recipients = Array.from({ length: count }, (_, i) => `$${i + 4}`).join(', ');
  return `SELECT recipient FROM dw.delivery_ledger WHERE report_date = $1 AND kind = $2 AND delivery_key = $3
    AND recipient IN (${recipients})`;
}

/** PostgreSQL only: whether the ledger's unique key exists yet (ledgers made before it had none). */
export const selectLedgerKeyIndex = `SELECT 1 AS present FROM pg_indexes
  WHERE schemaname = 'dw' AND indexname = 'delivery_ledger_claim_key'`;

/**
 * PostgreSQL only: adds the unique key to a ledger made before it. Duplicate claims left by the old plain
 * INSERTs are folded first into the row that says most about what happened (sent, then unknown, rejected,
 * sending; the latest of equals), or the index could not be built.
 */
export const addLedgerKeyStatements = [
  `DELETE FROM dw.delivery_ledger d USING (
    SELECT ctid, row_number() OVER (PARTITION BY ${LEDGER_KEY.join(', ')} ORDER BY
      CASE status WHEN 'sent' THEN 0 WHEN 'unknown' THEN 1 WHEN 'rejected' THEN 2 ELSE 3 END, updated_at DESC) AS n
    FROM dw.delivery_ledger) ranked
  WHERE d.ctid = ranked.ctid AND ranked.n > 1`,
  `CREATE UNIQUE INDEX IF NOT EXISTS delivery_ledger_claim_key ON dw.delivery_ledger (${LEDGER_KEY.join(', ')})`,
];

/**
 * Who the day's report may have missed: recipients of any of its deliveries whose send is `unknown` (an
 * attempt died mid-send) and who have not been sent it since (by a resend). `$1` is the day.
 */
export const selectUnknownReportRecipients = `SELECT DISTINCT recipient FROM dw.delivery_ledger u
  WHERE u.report_date = $1 AND u.kind = 'report' AND u.status = 'unknown'
    AND NOT EXISTS (SELECT 1 FROM dw.delivery_ledger s WHERE s.report_date = u.report_date
      AND s.kind = 'report' AND s.recipient = u.recipient AND s.status = 'sent')
  ORDER BY recipient`;

/** Whether the day `$1` has been loaded successfully at least once (a resend needs something to send). */
export const selectDayLoaded = `SELECT 1 AS loaded FROM dw.load_audit WHERE query_date = $1 AND outcome = 'loaded'`;

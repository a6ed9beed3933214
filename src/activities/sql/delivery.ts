/** SQL for the delivery ledger (`dw.delivery_ledger`), as pure functions; `$1..$3` name the delivery. */

export const selectLedger = `SELECT recipient, status FROM dw.delivery_ledger
  WHERE report_date = $1 AND kind = $2 AND delivery_key = $3`;

/** Claims recipients before the SES call: `$4…` are recipients, all get `status` and the time. */
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

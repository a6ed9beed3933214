import type { SqlValue, Warehouse } from '../adapters/warehouse/port';
import {
  addLedgerKeyStatements,
  claimLedgerRowsPostgres,
  insertLedgerRows,
  lockLedger,
  selectClaimed,
  selectLedgerKeyIndex,
} from './sql/delivery';
import { migrationLock } from './sql/partitions';

/** `[report_date, kind, delivery_key]`: which delivery a ledger row belongs to. */
export type DeliveryKey = readonly [date: string, kind: string, deliveryKey: string];

export interface Claim {
  readonly status: 'sending' | 'rejected';
  readonly detail: string | null;
  readonly at: string;
}

/**
 * Records `recipients` in the delivery ledger for this attempt, atomically: two attempts racing for the
 * same recipients (a timed-out attempt and its retry) never both get one. Returns the recipients this
 * attempt claimed, in the order given; the others already had a row (sent, claimed by another attempt, …).
 */
export async function claimRecipients(
  warehouse: Warehouse,
  key: DeliveryKey,
  recipients: readonly string[],
  claim: Claim,
): Promise<string[]> {
  if (recipients.length === 0) return [];
  const params: SqlValue[] = [...key, claim.status, null, claim.detail, ...recipients, claim.at];
  if (warehouse.dialect === 'postgres') {
    const rows = await warehouse.query<{ recipient: string }>(
      claimLedgerRowsPostgres(recipients.length),
      params,
    );
    const claimed = new Set(rows.map((r) => r.recipient));
    return recipients.filter((r) => claimed.has(r));
  }
  return warehouse.transaction(async (tx) => {
    // Held until COMMIT, so no other claim reads the ledger between this one's check and its insert.
    await tx.query(lockLedger);
    const taken = new Set(
      (await tx.query<{ recipient: string }>(selectClaimed(recipients.length), [...key, ...recipients])).map(
        (r) => r.recipient,
      ),
    );
    const free = recipients.filter((r) => !taken.has(r));
    if (free.length > 0)
      await tx.query(insertLedgerRows(free.length), [
        ...key,
        claim.status,
        null,
        claim.detail,
        ...free,
        claim.at,
      ]);
    return free;
  });
}

/** PostgreSQL: gives a ledger made before the unique key its key (once; concurrent workers take turns). */
export async function ensureLedgerKey(warehouse: Warehouse): Promise<void> {
  if (warehouse.dialect !== 'postgres') return;
  if ((await warehouse.query(selectLedgerKeyIndex)).length > 0) return;
  await warehouse.transaction(async (tx) => {
    await tx.query(migrationLock);
    for (const statement of addLedgerKeyStatements) await tx.query(statement);
  });
}

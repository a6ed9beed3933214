import type { TransactionalRds } from '../adapters/rds/port';
import type { SqlRunner } from '../adapters/warehouse/port';
import {
  countInactiveStaff,
  deactivateStaff,
  insertStaff,
  lockStaff,
  selectActiveStaff,
  selectAllStaff,
  updateStaff,
} from '../activities/sql/staff';
import { isEmptyDiff, staffDiff, type StaffDiff, type StaffPerson, type StaffRow } from './staffDiff';
import type { StaffEntry } from './parseStaffCsv';

/**
 * Applies a staff file to the directory in one transaction: the table is locked, compared with the file and
 * changed (added, changed, reactivated, deactivated) before anyone else may change it, or left as it was when
 * `dryRun` (the transaction then rolls back, having changed nothing). Returns what was, or would be, done.
 */
export async function applyStaffFile(
  rds: TransactionalRds,
  people: readonly StaffEntry[],
  options: { readonly dryRun: boolean },
): Promise<StaffDiff> {
  const dryRun = new Error('dry run');
  let diff: StaffDiff | undefined;
  try {
    await rds.transaction(async (tx) => {
      await tx.query(lockStaff);
      const current: StaffRow[] = (await tx.query<StaffRecord>(selectAllStaff)).map((row) => ({
        ...row,
        id: Number(row.id),
      }));
      diff = staffDiff(current, people);
      if (options.dryRun) throw dryRun;
      if (!isEmptyDiff(diff)) await apply(tx, diff);
    });
  } catch (error) {
    if (error !== dryRun) throw error;
  }
  return diff!;
}

type StaffRecord = { id: unknown; name: string; email: string; department: string; active: boolean };

async function apply(tx: SqlRunner, diff: StaffDiff): Promise<void> {
  if (diff.added.length > 0) {
    await tx.query(insertStaff, [
      JSON.stringify(diff.added.map(({ name, email, department }) => ({ name, email, department }))),
    ]);
  }
  const updates = [...diff.changed, ...diff.reactivated];
  if (updates.length > 0) {
    await tx.query(updateStaff, [
      JSON.stringify(updates.map(({ id, name, department }) => ({ id, name, department }))),
    ]);
  }
  if (diff.deactivated.length > 0) {
    await tx.query(deactivateStaff, [JSON.stringify(diff.deactivated.map((p) => p.id))]);
  }
}

/** Who receives the report (the active members, by address), and how many inactive members are kept. */
export async function listRecipients(
  rds: SqlRunner,
): Promise<{ recipients: StaffPerson[]; inactive: number }> {
  const recipients = await rds.query<{ name: string; email: string; department: string }>(selectActiveStaff);
  const [inactive] = await rds.query<{ n: unknown }>(countInactiveStaff);
  return {
    recipients: recipients.map(({ name, email, department }) => ({ name, email, department })),
    inactive: Number(inactive?.n ?? 0),
  };
}

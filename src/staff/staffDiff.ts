import type { StaffEntry } from './parseStaffCsv';

/** A row of the `staff` table. */
export interface StaffRow {
  readonly id: number;
  readonly name: string;
  readonly email: string;
  readonly department: string;
  readonly active: boolean;
}

/** A person as the report's recipients list shows them. */
export interface StaffPerson {
  readonly name: string;
  readonly email: string;
  readonly department: string;
}

/** A member whose name or department the file changes; `before` is what the directory held. */
export interface StaffChange extends StaffPerson {
  readonly id: number;
  readonly before: { readonly name: string; readonly department: string };
}

/** What an import does to the directory. Deactivated members stay in it (the ledger's history names them). */
export interface StaffDiff {
  readonly added: readonly StaffPerson[];
  readonly changed: readonly StaffChange[];
  /** Inactive members the file lists again: made active, with the file's name and department. */
  readonly reactivated: readonly StaffChange[];
  readonly deactivated: readonly (StaffPerson & { readonly id: number })[];
  readonly unchanged: number;
}

/**
 * Compares the file with the directory. A person is their address, compared without case (kim@x.kr and
 * Kim@X.kr are one mailbox to every mail system staff use); the directory's spelling of an address is kept.
 * Someone who changes address is one member deactivated and one added, so the ledger's rows keep their owner.
 */
export function staffDiff(current: readonly StaffRow[], file: readonly StaffEntry[]): StaffDiff {
  const byAddress = new Map(current.map((row) => [row.email.toLowerCase(), row]));
  const listed = new Set(file.map((p) => p.email.toLowerCase()));
  const added: StaffPerson[] = [];
  const changed: StaffChange[] = [];
  const reactivated: StaffChange[] = [];
  let unchanged = 0;
  for (const person of file) {
    const row = byAddress.get(person.email.toLowerCase());
    const shown = { name: person.name, department: person.department };
    if (row === undefined) {
      added.push({ ...shown, email: person.email });
      continue;
    }
    const change = {
      ...shown,
      id: row.id,
      email: row.email,
      before: { name: row.name, department: row.department },
    };
    if (!row.active) reactivated.push(change);
    else if (row.name !== person.name || row.department !== person.department) changed.push(change);
    else unchanged++;
  }
  const deactivated = current
    .filter((row) => row.active && !listed.has(row.email.toLowerCase()))
    .map(({ id, name, email, department }) => ({ id, name, email, department }));
  return { added, changed, reactivated, deactivated, unchanged };
}

/** Whether the import changes anything at all. */
export function isEmptyDiff(diff: StaffDiff): boolean {
  return diff.added.length + diff.changed.length + diff.reactivated.length + diff.deactivated.length === 0;
}

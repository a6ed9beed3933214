import type { Rds } from '../../../src/adapters/rds/port';
import type { SqlRunner } from '../../../src/adapters/warehouse/port';
import { receivedEmails, type StoredEmail } from '../../../src/stack/ses';

/** Addresses under a domain of one test run, so mail other suites leave in the shared SES stand-in never counts. */
export interface MailDomain {
  readonly domain: string;
  address(local: string): string;
}

export function privateMailDomain(label: string): MailDomain {
  const domain = `${label}${process.pid}${Math.floor(Math.random() * 1e6)}.example`;
  return { domain, address: (local) => `${local}@${domain}` };
}

/** Adds active staff members (the report's recipients) to the RDS `staff` table. */
export async function addStaff(rds: Rds, addresses: readonly string[]): Promise<void> {
  for (const [i, email] of addresses.entries()) {
    await rds.query(`INSERT INTO staff (name, email, department, active) VALUES ($1, $2, 'ops', true)`, [
      `Staff ${i}`,
      email,
    ]);
  }
}

/** Everyone a stored message went to: the stand-in lists a multi-recipient To header as one comma-joined entry. */
export function recipientsOf(mail: StoredEmail): string[] {
  return [...mail.destination.to, ...mail.destination.cc, ...mail.destination.bcc].flatMap((to) =>
    to.split(',').map((address) => address.trim()).filter(Boolean),
  );
}

/** Mail the SES stand-in holds for `domain` whose subject names `date`. */
export async function mailFor(endpoint: string, domain: string, date: string): Promise<StoredEmail[]> {
  const all = await receivedEmails(endpoint);
  return all.filter((mail) => mail.subject.includes(date) && recipientsOf(mail).some((to) => to.endsWith(`@${domain}`)));
}

/** How many copies each recipient received, recipients sorted. */
export function copiesPerRecipient(mails: readonly StoredEmail[]): Record<string, number> {
  const copies: Record<string, number> = {};
  for (const to of mails.flatMap(recipientsOf).sort()) copies[to] = (copies[to] ?? 0) + 1;
  return copies;
}

/** `recipients` each with exactly one copy: what "delivered once" looks like in `copiesPerRecipient`. */
export const oneCopyEach = (recipients: readonly string[]): Record<string, number> =>
  Object.fromEntries([...recipients].sort().map((r) => [r, 1]));

export type LedgerRow = {
  readonly recipient: string;
  readonly status: string;
  readonly message_id: string | null;
};

/** The day's delivery ledger for the daily report, recipients sorted. */
export async function ledgerOf(db: SqlRunner, date: string, kind = 'report'): Promise<LedgerRow[]> {
  return db.query<LedgerRow>(
    `SELECT recipient, status, message_id FROM dw.delivery_ledger
     WHERE report_date = $1 AND kind = $2 AND delivery_key = 'daily' ORDER BY recipient`,
    [date, kind],
  );
}

/** Recipients per ledger status. */
export function byStatus(rows: readonly LedgerRow[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const row of rows) (out[row.status] ??= []).push(row.recipient);
  return out;
}

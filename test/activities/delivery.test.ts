import os from 'node:os';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { Pool } from 'pg';
import { createDeliveryActivities, type SendInput } from '../../src/activities/delivery';
import { selectLedger } from '../../src/activities/sql/delivery';
import { ensureWarehouseSchema } from '../../src/activities/warehouseSchema';
import type { Mailer } from '../../src/adapters/mailer/port';
import { localReportStore } from '../../src/adapters/reportStore/localReportStore';
import { createPgPool, pgWarehouse } from '../../src/adapters/warehouse/pgWarehouse';
import type { Warehouse } from '../../src/adapters/warehouse/port';
import { freshDatabase, type TestDatabase } from '../support/databases';

const STAFF = ['ann@example.com', 'bob@example.com', 'cho@example.com'];

let db: TestDatabase;
let pool: Pool;
let warehouse: Warehouse;

beforeAll(async () => {
  db = await freshDatabase('delivery_claim');
  pool = createPgPool(db.url);
  warehouse = pgWarehouse(pool);
  await ensureWarehouseSchema(warehouse);
});

afterAll(async () => {
  await pool.end();
  await db.drop();
});

/** A mailer that records every envelope recipient and takes a while, as SES does. */
function recordingMailer(): Mailer & { sentTo: string[] } {
  const sentTo: string[] = [];
  return {
    sentTo,
    async sendRaw(email) {
      sentTo.push(...email.destinations);
      await new Promise((resolve) => setTimeout(resolve, 50));
      return { messageId: `m-${sentTo.length}` };
    },
  };
}

/**
 * The warehouse as two racing attempts see it: neither reads the ledger until both are about to, so both
 * find nobody claimed and both go on to claim the same batch.
 */
function racingReads(inner: Warehouse, attempts: number): Warehouse {
  let waiting = 0;
  let release!: () => void;
  const allRead = new Promise<void>((resolve) => (release = resolve));
  return {
    ...inner,
    async query(sql, params) {
      if (sql === selectLedger) {
        if (++waiting === attempts) release();
        await allRead;
      }
      return inner.query(sql, params);
    },
  };
}

async function race(dialectOf: (w: Warehouse) => Warehouse, deliveryKey: string) {
  const mailer = recordingMailer();
  const shared = racingReads(dialectOf(warehouse), 2);
  const attempt = () =>
    new MockActivityEnvironment().run(
      createDeliveryActivities({
        warehouse: shared,
        rds: { query: async () => STAFF.map((email) => ({ email })) as never },
        mailer,
        // Notices are composed on the spot; the store is never read.
        reportStore: localReportStore(os.tmpdir()),
        sender: 'report@example.com',
        locale: 'en',
      }).sendReport,
      {
        date: '2024-06-03',
        kind: 'notice',
        deliveryKey,
        reason: 'test',
        noticeKind: 'delayed',
      } satisfies SendInput,
    );
  await Promise.all([attempt(), attempt()]);
  const ledger = await warehouse.query<{ recipient: string; status: string }>(
    `SELECT recipient, status FROM dw.delivery_ledger WHERE delivery_key = $1 ORDER BY recipient`,
    [deliveryKey],
  );
  return { sentTo: mailer.sentTo.sort(), ledger };
}

describe('delivery ledger: a claim is atomic', () => {
  it('PostgreSQL: two attempts racing for the same batch send it once (the unique key decides)', async () => {
    const { sentTo, ledger } = await race((w) => w, 'daily-pg');
    expect(sentTo).toEqual(STAFF);
    expect(ledger).toEqual(STAFF.map((recipient) => ({ recipient, status: 'sent' })));
  });

  it('Redshift rendering: with no key enforced, the claim under LOCK still lets one attempt send', async () => {
    // Run the Redshift spelling on PostgreSQL without the unique key, as Redshift would (it enforces none).
    await warehouse.query(`DROP INDEX dw.delivery_ledger_claim_key`);
    try {
      const { sentTo, ledger } = await race((w) => ({ ...w, dialect: 'redshift' }), 'daily-rs');
      expect(sentTo).toEqual(STAFF);
      expect(ledger).toEqual(STAFF.map((recipient) => ({ recipient, status: 'sent' })));
    } finally {
      await ensureWarehouseSchema(warehouse);
    }
  });

  it('adds the unique key to a ledger made before it, folding duplicate claims into the most telling row', async () => {
    await warehouse.query(`DROP INDEX dw.delivery_ledger_claim_key`);
    const insert = `INSERT INTO dw.delivery_ledger (report_date, kind, delivery_key, recipient, status, updated_at)
      VALUES ('2024-06-04', 'report', 'daily', 'ann@example.com', $1, now())`;
    await warehouse.query(insert, ['sending']);
    await warehouse.query(insert, ['sent']);
    await ensureWarehouseSchema(warehouse);
    expect(
      await warehouse.query(`SELECT status FROM dw.delivery_ledger WHERE report_date = '2024-06-04'`),
    ).toEqual([{ status: 'sent' }]);
    await expect(warehouse.query(insert, ['sending'])).rejects.toThrow();
  });
});

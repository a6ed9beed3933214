import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SESClient } from '@aws-sdk/client-ses';
import { Context } from '@temporalio/activity';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createSesClient, sesMailer } from '../../src/adapters/mailer/sesMailer';
import { dailyReport, dailyReportId } from '../../src/workflows/dailyReport';
import { createPgPool, pgWarehouse } from '../../src/adapters/warehouse/pgWarehouse';
import type { Warehouse } from '../../src/adapters/warehouse/port';
import { createPipelineHarness, WAREHOUSE_KINDS, workflowBundle, type PipelineHarness } from '../support/pipeline';
import { dayFixture, type DayFixture } from '../support/searchItems';
import { createLocalWorkflowEnvironment } from '../support/stack';
import { workerEnvironment, type WorkerProcess } from '../support/workerProcess';
import { startClosablePort, type ClosablePort } from './support/closablePort';
import { startCrashingWorker, type CrashPoint } from './support/crashingWorkerProcess';
import {
  addStaff,
  byStatus,
  copiesPerRecipient,
  ledgerOf,
  mailFor,
  oneCopyEach,
  privateMailDomain,
} from './support/mailProbe';
import { createTestWorker } from './support/testWorker';
import { waitFor } from './support/waitFor';
import { countsOf, expectExactDay, loadAudit } from './support/warehouseProbe';

/** One day per scenario, all the same size so the data-quality gate sees ordinary traffic. */
const DAYS = { sendCrash: '2024-07-01', renderCrash: '2024-07-02', throttled: '2024-07-03', unreachable: '2024-07-04' };

/**
 * Once per warehouse kind, since the ledger lives in the warehouse. On redshift-data only the scenario whose
 * outcome the ledger decides (a batch SES took before the worker died) runs: the others exercise rendering and
 * SES, which do not change with the warehouse.
 */
describe.each(WAREHOUSE_KINDS)('delivery under faults on the %s warehouse: each recipient gets the report at most once, and the ledger says what happened', (kind) => {
  const itOnPg = kind === 'pg' ? it : it.skip;
  let env: TestWorkflowEnvironment;
  let h: PipelineHarness;
  /** The warehouse database read directly, for checks in PostgreSQL's own SQL. */
  let inspect: Warehouse;
  let bundleDir: string;
  let bundlePath: string;
  const children: WorkerProcess[] = [];
  const mail = privateMailDomain('dfault');
  // 55 recipients make two SES messages (50 is SES's per-message limit), so a crash can split them.
  const staff = Array.from({ length: 55 }, (_, i) => mail.address(`staff${String(i).padStart(2, '0')}`));
  const firstBatch = staff.slice(0, 50);
  const secondBatch = staff.slice(50);
  const fixtures: Record<string, DayFixture> = Object.fromEntries(
    Object.values(DAYS).map((day) => [day, dayFixture(day, 40)]),
  );

  const ses = () => h.config.ses.endpoint!;
  const options = (date: string) => ({ taskQueue: h.config.temporal.taskQueue, workflowId: dailyReportId(date) });
  const start = (date: string) => env.client.workflow.start(dailyReport, { ...options(date), args: [{ date, segments: 1, timeouts: h.config.timeouts }] });

  async function startCrashing(crashAt: CrashPoint | undefined, overrides: NodeJS.ProcessEnv = {}): Promise<WorkerProcess> {
    const child = startCrashingWorker(
      workerEnvironment(h.config, { TEMPORAL_ADDRESS: env.address, SES_ENDPOINT: ses(), ...overrides }),
      { crashAt, bundlePath },
    );
    children.push(child);
    await child.ready;
    return child;
  }

  async function expectKilledItself(child: WorkerProcess): Promise<void> {
    const exit = await waitFor('the worker to reach its crash point', () => Promise.race([
      child.exited,
      new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 1000)),
    ]));
    expect(exit.signal).toBe('SIGKILL');
    expect(child.output()).toContain('crash point reached');
  }

  beforeAll(async () => {
    [env, h] = await Promise.all([
      createLocalWorkflowEnvironment(),
      // Short real timeouts: a crashed worker's render or send is timed out by Temporal, as in production.
      createPipelineHarness(
        `faults_delivery_${kind.replace('-', '_')}`,
        { STAGE_HEARTBEAT_TIMEOUT_SECONDS: '5', SEND_HEARTBEAT_TIMEOUT_SECONDS: '5' },
        { warehouseKind: kind },
      ),
    ]);
    inspect = pgWarehouse(createPgPool(h.warehouseDb.url));
    bundleDir = mkdtempSync(path.join(os.tmpdir(), 'libreport-bundle-'));
    bundlePath = path.join(bundleDir, 'workflows.js');
    const [bundle] = await Promise.all([
      workflowBundle(),
      h.putItems(Object.values(fixtures).flatMap((f) => f.items)),
      addStaff(h.ports.rds, staff),
    ]);
    writeFileSync(bundlePath, bundle.code);
  });

  afterAll(async () => {
    await Promise.allSettled(children.map((c) => c.kill('SIGKILL')));
    await inspect?.close();
    await h?.close();
    await env?.teardown();
    if (bundleDir) rmSync(bundleDir, { recursive: true, force: true });
  });

  it('records a batch as unknown, never sends it twice, when the worker dies after SES took it', async () => {
    const day = DAYS.sendCrash;
    const child = await startCrashing('after-send');
    const handle = await start(day);
    await expectKilledItself(child);

    // At death SES held the first message and the ledger still said 'sending' for its recipients.
    expect(byStatus(await ledgerOf(inspect, day))).toEqual({ sending: firstBatch });
    expect(copiesPerRecipient(await mailFor(ses(), mail.domain, day))).toEqual(oneCopyEach(firstBatch));

    const worker = await createTestWorker(env, h);
    const result = await worker.runUntil(handle.result());

    expect(result.load.outcome).toBe('loaded');
    await expectExactDay(inspect, day, countsOf(fixtures[day]!));
    expect(result.delivery).toEqual({
      date: day,
      kind: 'report',
      deliveryKey: 'daily',
      recipients: 55,
      sent: secondBatch.length,
      alreadySent: 0,
      rejected: 0,
      unknown: firstBatch.length,
      messages: 1,
    });
    expect(byStatus(await ledgerOf(inspect, day))).toEqual({ unknown: firstBatch, sent: secondBatch });
    expect(copiesPerRecipient(await mailFor(ses(), mail.domain, day))).toEqual(oneCopyEach(staff));

    // The day again: it reloads, and mails no one.
    const again = await (await createTestWorker(env, h)).runUntil(
      env.client.workflow.execute(dailyReport, { ...options(day), args: [{ date: day, segments: 1 }] }),
    );
    expect(again.delivery).toMatchObject({ sent: 0, alreadySent: secondBatch.length, unknown: firstBatch.length, messages: 0 });
    expect(copiesPerRecipient(await mailFor(ses(), mail.domain, day))).toEqual(oneCopyEach(staff));
    expect((await loadAudit(inspect, day)).map((a) => a.outcome)).toEqual(['loaded', 'loaded']);
    await expectExactDay(inspect, day, countsOf(fixtures[day]!));
  });

  itOnPg('renders again and mails once when the worker dies while archiving the report', async () => {
    const day = DAYS.renderCrash;
    const archive = path.join(h.reportDir, `${day}.html`);
    const child = await startCrashing('before-archive');
    const handle = await start(day);
    await expectKilledItself(child);

    expect(existsSync(archive)).toBe(false);
    expect(await ledgerOf(inspect, day)).toEqual([]);
    expect(await mailFor(ses(), mail.domain, day)).toEqual([]);

    const worker = await createTestWorker(env, h);
    const result = await worker.runUntil(handle.result());

    expect(result.report.location).toBe(archive);
    const html = readFileSync(archive, 'utf8');
    expect(Buffer.byteLength(html)).toBe(result.report.bytes);
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
    expect(readdirSync(h.reportDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(result.delivery).toMatchObject({ recipients: 55, sent: 55, unknown: 0, messages: 2 });
    expect(byStatus(await ledgerOf(inspect, day))).toEqual({ sent: staff });
    expect(copiesPerRecipient(await mailFor(ses(), mail.domain, day))).toEqual(oneCopyEach(staff));
    await expectExactDay(inspect, day, countsOf(fixtures[day]!));
  });

  itOnPg('retries while SES throttles and delivers once', async () => {
    const day = DAYS.throttled;
    const calls: { attempt: number; outcome: 'throttled' | 'sent' }[] = [];
    const real = createSesClient({ endpoint: ses(), region: h.config.ses.region });
    let refusalsLeft = 2;
    // The error SES returns when over its sending rate, after the SDK's own retries gave up.
    const throttlingClient = {
      send(command: Parameters<SESClient['send']>[0]) {
        const attempt = Context.current().info.attempt;
        if (refusalsLeft > 0) {
          refusalsLeft--;
          calls.push({ attempt, outcome: 'throttled' });
          return Promise.reject(Object.assign(new Error('Maximum sending rate exceeded.'), { name: 'Throttling' }));
        }
        calls.push({ attempt, outcome: 'sent' });
        return real.send(command);
      },
    } as unknown as SESClient;
    const mailer = sesMailer(throttlingClient, { endpoint: ses(), region: h.config.ses.region });

    try {
      const worker = await createTestWorker(env, h, { mailer });
      const result = await worker.runUntil((await start(day)).result());

      // Each throttled attempt released its claim; the third attempt sent both messages.
      expect(calls).toEqual([
        { attempt: 1, outcome: 'throttled' },
        { attempt: 2, outcome: 'throttled' },
        { attempt: 3, outcome: 'sent' },
        { attempt: 3, outcome: 'sent' },
      ]);
      expect(result.delivery).toMatchObject({ recipients: 55, sent: 55, alreadySent: 0, unknown: 0, messages: 2 });
      expect(byStatus(await ledgerOf(inspect, day))).toEqual({ sent: staff });
      expect(copiesPerRecipient(await mailFor(ses(), mail.domain, day))).toEqual(oneCopyEach(staff));
      await expectExactDay(inspect, day, countsOf(fixtures[day]!));
    } finally {
      real.destroy();
    }
  });

  itOnPg('waits out an SES that refuses connections and delivers once when it is back', async () => {
    const day = DAYS.unreachable;
    const target = new URL(ses());
    const port: ClosablePort = await startClosablePort({ host: target.hostname, port: Number(target.port) }, 'closed');
    try {
      // A worker process of its own (not in Jest's sandbox, where the SDK's connection errors lose their code).
      const child = await startCrashing(undefined, { SES_ENDPOINT: port.route(ses()) });
      const handle = await start(day);
      const refused = await waitFor('sendReport to fail twice on the closed port', async () => {
        const pending = (await handle.describe()).raw.pendingActivities?.find((a) => a.activityType?.name === 'sendReport');
        return (pending?.attempt ?? 0) >= 3 ? pending : undefined;
      });
      expect(refused.lastFailure?.message).toMatch(/^SES is not reachable at .* \(ECONNREFUSED\)/);
      // A refused connection certainly sent nothing, so each failed attempt released its claims.
      expect(await ledgerOf(inspect, day)).toEqual([]);
      expect(await mailFor(ses(), mail.domain, day)).toEqual([]);

      await port.open();
      const result = await handle.result();
      await child.kill('SIGTERM');

      expect(port.forwarded()).toBeGreaterThan(0);
      expect(result.delivery).toMatchObject({ recipients: 55, sent: 55, unknown: 0, messages: 2 });
      expect(byStatus(await ledgerOf(inspect, day))).toEqual({ sent: staff });
      expect(copiesPerRecipient(await mailFor(ses(), mail.domain, day))).toEqual(oneCopyEach(staff));
      await expectExactDay(inspect, day, countsOf(fixtures[day]!));
    } finally {
      await port.dispose();
    }
  });
});

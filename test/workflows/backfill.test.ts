import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../src/activities';
import { daysBetween } from '../../src/domain/reportDate';
import { activitySettings } from '../../src/worker/ports';
import {
  addRange,
  backfill,
  backfillWorkflowId,
  cancel,
  pause,
  progress,
  resume,
  type BackfillInput,
  type BackfillProgress,
} from '../../src/workflows/backfill';
import { createPgPool, pgWarehouse } from '../../src/adapters/warehouse/pgWarehouse';
import type { Warehouse } from '../../src/adapters/warehouse/port';
import {
  createPipelineHarness,
  WAREHOUSE_KINDS,
  workflowBundle,
  type PipelineHarness,
} from '../support/pipeline';
import { dayFixture } from '../support/searchItems';
import { createLocalWorkflowEnvironment } from '../support/stack';

type Activities = ReturnType<typeof createActivities>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `ok` holds: waits on the workflow's state, never on the clock. */
async function waitFor<T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`gave up waiting for ${what}; last seen ${JSON.stringify(value)}`);
    await sleep(100);
  }
}

describe.each(WAREHOUSE_KINDS)(
  'backfill on the %s warehouse: child daily runs with bounded concurrency, driven by signals',
  (kind) => {
    /** The warehouse database read directly, for checks in PostgreSQL's own SQL. */
    let inspect: Warehouse;
    let env: TestWorkflowEnvironment;
    let h: PipelineHarness;
    let queueCount = 0;
    const seeded = [
      ...daysBetween('2024-03-01', '2024-03-10'),
      ...daysBetween('2024-04-01', '2024-04-05'),
      ...daysBetween('2024-05-01', '2024-05-04'),
      ...daysBetween('2024-06-01', '2024-06-06'),
    ];

    beforeAll(async () => {
      [env, h] = await Promise.all([
        createLocalWorkflowEnvironment(),
        createPipelineHarness(`backfill_${kind.replace('-', '_')}`, {}, { warehouseKind: kind }),
      ]);
      inspect = pgWarehouse(createPgPool(h.warehouseDb.url));
      await h.putItems(seeded.flatMap((day) => dayFixture(day, 20).items));
      // Someone to email, so "emailing nobody" is a choice and not an empty staff list.
      await h.ports.rds.query(
        `INSERT INTO staff (name, email, department) VALUES ('김사서', 'librarian@library.test', '자료실')`,
      );
    });

    afterAll(async () => {
      await inspect?.close();
      await h?.close();
      await env?.teardown();
    });

    /** A worker on its own task queue (children inherit it), so each test's activities are its own. */
    async function startWorker(
      activities: Activities = createActivities(h.ports, activitySettings(h.config)),
    ) {
      const taskQueue = `${h.config.temporal.taskQueue}-${++queueCount}`;
      const worker = await Worker.create({
        connection: env.nativeConnection,
        taskQueue,
        workflowBundle: await workflowBundle(),
        activities,
        // A stopped worker's sticky queue is abandoned quickly, so the restart test does not wait out the default.
        stickyQueueScheduleToStartTimeout: '1s',
      });
      const running = worker.run();
      return {
        taskQueue,
        async stop() {
          worker.shutdown();
          await running;
        },
      };
    }

    function input(backfillId: string, overrides: Partial<BackfillInput>): BackfillInput {
      return {
        backfillId,
        ranges: [],
        concurrency: 2,
        email: 'skip',
        reprocess: 'none',
        day: { segments: 1 },
        ...overrides,
      };
    }

    /** Starts a backfill already paused (the pause rides on the start), so a test can act before any day runs. */
    function startPaused(taskQueue: string, args: BackfillInput): Promise<WorkflowHandle<typeof backfill>> {
      return env.client.workflow.signalWithStart(backfill, {
        taskQueue,
        workflowId: backfillWorkflowId(args.backfillId),
        args: [args],
        signal: pause,
        signalArgs: [],
      });
    }

    async function auditedDays(from: string, to: string, since?: Date): Promise<Record<string, string[]>> {
      const rows = await inspect.query<{ day: string; outcome: string }>(
        `SELECT TO_CHAR(query_date, 'YYYY-MM-DD') AS day, outcome FROM dw.load_audit
       WHERE query_date BETWEEN $1 AND $2 AND started_at >= $3 ORDER BY query_date, finished_at`,
        [from, to, (since ?? new Date(0)).toISOString()],
      );
      const out: Record<string, string[]> = {};
      for (const row of rows) (out[row.day] ??= []).push(row.outcome);
      return out;
    }

    async function emailsFor(from: string, to: string): Promise<number> {
      const [ledger] = await inspect.query(
        `SELECT 1 FROM information_schema.tables WHERE table_schema = 'dw' AND table_name = 'delivery_ledger'`,
      );
      if (!ledger) return 0;
      const [row] = await inspect.query<{ n: string }>(
        `SELECT COUNT(*) AS n FROM dw.delivery_ledger WHERE report_date BETWEEN $1 AND $2 AND status = 'sent'`,
        [from, to],
      );
      return Number(row!.n);
    }

    it('backfills 7 days two at a time, loading each once and emailing nobody', async () => {
      let active = 0;
      let mostActive = 0;
      const real = createActivities(h.ports, activitySettings(h.config));
      const worker = await startWorker({
        ...real,
        // A successful prepareRun opens a day's load and dropStaging closes it: their overlap is the days in
        // flight (an attempt that failed and was retried opened nothing).
        async prepareRun(args) {
          const run = await real.prepareRun(args);
          mostActive = Math.max(mostActive, ++active);
          return run;
        },
        async dropStaging(args) {
          active--;
          return real.dropStaging(args);
        },
      });
      try {
        const result = await env.client.workflow.execute(backfill, {
          taskQueue: worker.taskQueue,
          workflowId: backfillWorkflowId('seven-days'),
          args: [input('seven-days', { ranges: [{ from: '2024-03-01', to: '2024-03-07' }] })],
        });
        expect(result.status).toBe('completed');
        expect([...result.done].sort()).toEqual(daysBetween('2024-03-01', '2024-03-07'));
        expect(result.failed).toEqual([]);
        expect(result.pending).toEqual([]);
        expect(mostActive).toBeLessThanOrEqual(2);
        expect(mostActive).toBeGreaterThan(0);
        const audit = await auditedDays('2024-03-01', '2024-03-10');
        expect(audit).toEqual(
          Object.fromEntries(daysBetween('2024-03-01', '2024-03-07').map((d) => [d, ['loaded']])),
        );
        const [loaded] = await inspect.query<{ n: string }>(
          `SELECT COUNT(*) AS n FROM dw.search_query WHERE query_date BETWEEN '2024-03-01' AND '2024-03-07'`,
        );
        expect(Number(loaded!.n)).toBe(7 * 20);
        expect(await emailsFor('2024-03-01', '2024-03-07')).toBe(0);
      } finally {
        await worker.stop();
      }
    });

    it('follows the reprocess rule: none skips audited days, failed re-runs only days whose last load failed', async () => {
      // 03-06 loaded above, then (as if re-run) failed reconciliation: its last outcome is a failure.
      await inspect.query(
        `INSERT INTO dw.load_audit (run_id, query_date, started_at, finished_at, outcome, summary)
       VALUES ('fake-run', '2024-03-06', NOW(), NOW(), 'reconciliation_failed', '{}')`,
      );
      const worker = await startWorker();
      try {
        const none = await env.client.workflow.execute(backfill, {
          taskQueue: worker.taskQueue,
          workflowId: backfillWorkflowId('reprocess-none'),
          args: [input('reprocess-none', { ranges: [{ from: '2024-03-05', to: '2024-03-06' }] })],
        });
        expect(none.done).toEqual([]);
        expect(none.skipped).toEqual([
          { date: '2024-03-05', reason: 'already processed (last load: loaded)' },
          { date: '2024-03-06', reason: 'already processed (last load: reconciliation_failed)' },
        ]);

        const since = new Date();
        const failed = await env.client.workflow.execute(backfill, {
          taskQueue: worker.taskQueue,
          workflowId: backfillWorkflowId('reprocess-failed'),
          args: [
            input('reprocess-failed', {
              ranges: [{ from: '2024-03-06', to: '2024-03-08' }],
              reprocess: 'failed',
            }),
          ],
        });
        expect([...failed.done].sort()).toEqual(['2024-03-06', '2024-03-08']);
        expect(failed.skipped).toEqual([{ date: '2024-03-07', reason: 'already loaded' }]);
        expect(await auditedDays('2024-03-06', '2024-03-08', since)).toEqual({
          '2024-03-06': ['loaded'],
          '2024-03-08': ['loaded'],
        });
      } finally {
        await worker.stop();
      }
    });

    it('emails staff when asked to', async () => {
      const worker = await startWorker();
      try {
        const result = await env.client.workflow.execute(backfill, {
          taskQueue: worker.taskQueue,
          workflowId: backfillWorkflowId('with-email'),
          args: [input('with-email', { ranges: [{ from: '2024-03-09', to: '2024-03-09' }], email: 'send' })],
        });
        expect(result.done).toEqual(['2024-03-09']);
        expect(await emailsFor('2024-03-09', '2024-03-09')).toBe(1);
      } finally {
        await worker.stop();
      }
    });

    it('adds only the new days of an overlapping range, however often it is signalled', async () => {
      const worker = await startWorker();
      try {
        const handle = await startPaused(
          worker.taskQueue,
          input('overlap', { ranges: [{ from: '2024-04-01', to: '2024-04-03' }], reprocess: 'all' }),
        );
        await waitFor(
          () => handle.query(progress),
          (p) => p.pending.length === 3 && p.status === 'paused',
          'three pending days',
        );
        await handle.signal(addRange, { from: '2024-04-02', to: '2024-04-05' });
        await handle.signal(addRange, { from: '2024-04-02', to: '2024-04-05' });
        await handle.signal(addRange, { from: '2024-04-01', to: '2024-04-01' });
        const before = await waitFor(
          () => handle.query(progress),
          (p) => p.total === 5,
          'five covered days',
        );
        expect(before.pending).toEqual(daysBetween('2024-04-01', '2024-04-05'));
        expect(before.running).toEqual([]);

        const since = new Date();
        await handle.signal(resume);
        const result = await handle.result();
        expect(result.status).toBe('completed');
        expect([...result.done].sort()).toEqual(daysBetween('2024-04-01', '2024-04-05'));
        // One run per day, not one per signal.
        expect(await auditedDays('2024-04-01', '2024-04-05', since)).toEqual(
          Object.fromEntries(daysBetween('2024-04-01', '2024-04-05').map((d) => [d, ['loaded']])),
        );
      } finally {
        await worker.stop();
      }
    });

    it('pauses between days, resumes, and cancels the running day and everything pending', async () => {
      // The scan of 05-02 waits at a gate, so that day is reliably "running" while the test acts.
      let openGate!: () => void;
      const gate = new Promise<void>((resolve) => (openGate = resolve));
      const real = createActivities(h.ports, activitySettings(h.config));
      const worker = await startWorker({
        ...real,
        async scanSegment(args) {
          if (args.date === '2024-05-02') await gate;
          return real.scanSegment(args);
        },
      });
      try {
        const handle = await startPaused(
          worker.taskQueue,
          input('pause-cancel', { ranges: [{ from: '2024-05-01', to: '2024-05-04' }], concurrency: 1 }),
        );
        const paused = await waitFor(
          () => handle.query(progress),
          (p) => p.pending.length === 4,
          'checked days',
        );
        expect(paused.status).toBe('paused');
        expect(paused.running).toEqual([]);

        await handle.signal(resume);
        const second = await waitFor(
          () => handle.query(progress),
          (p) => p.running[0] === '2024-05-02',
          'the second day to start',
        );
        expect(second.done).toEqual(['2024-05-01']);
        expect(second.status).toBe('running');

        await handle.signal(pause);
        const held = await waitFor(
          () => handle.query(progress),
          (p) => p.status === 'paused',
          'pause',
        );
        // Pausing lets the running day go on and holds the rest.
        expect(held.running).toEqual(['2024-05-02']);
        expect(held.pending).toEqual(['2024-05-03', '2024-05-04']);

        await handle.signal(cancel);
        const result = await handle.result();
        expect(result.status).toBe('cancelled');
        expect(result.done).toEqual(['2024-05-01']);
        expect([...result.cancelled].sort()).toEqual(['2024-05-02', '2024-05-03', '2024-05-04']);
        expect(result.running).toEqual([]);
        expect(await auditedDays('2024-05-01', '2024-05-04')).toEqual({ '2024-05-01': ['loaded'] });
        const child = await env.client.workflow.getHandle('daily-report-2024-05-02').describe();
        expect(child.status.name).toBe('CANCELLED');
      } finally {
        openGate();
        await worker.stop();
      }
    });

    it('survives a worker restart and continues as new, carrying its progress', async () => {
      const first = await startWorker();
      const args = input('restart', {
        ranges: [{ from: '2024-06-01', to: '2024-06-06' }],
        concurrency: 1,
        // A handful of events: forces continue-as-new after about two days.
        continueAsNewAfterEvents: 30,
        // A task handed to the stopping worker just as it stopped is lost with it; as in production, Temporal
        // retries it after its timeout, and short real timeouts keep that within the test's time.
        day: {
          segments: 1,
          timeouts: {
            scanHeartbeatSeconds: 5,
            heartbeatSeconds: 5,
            sendHeartbeatSeconds: 5,
            quickSeconds: 10,
          },
        },
      });
      const handle = await env.client.workflow.start(backfill, {
        taskQueue: first.taskQueue,
        workflowId: backfillWorkflowId('restart'),
        args: [args],
      });
      await waitFor(
        () => handle.query(progress),
        (p) => p.done.length >= 2,
        'two finished days',
      );
      await first.stop();
      expect((await handle.describe()).status.name).toBe('RUNNING');

      // The same task queue, a new worker process: the workflow's state is rebuilt from history.
      const worker = await Worker.create({
        connection: env.nativeConnection,
        taskQueue: first.taskQueue,
        workflowBundle: await workflowBundle(),
        activities: createActivities(h.ports, activitySettings(h.config)),
      });
      const result: BackfillProgress = await worker.runUntil(handle.result());
      expect(result.status).toBe('completed');
      expect([...result.done].sort()).toEqual(daysBetween('2024-06-01', '2024-06-06'));
      expect(result.generation).toBeGreaterThan(0);
      const audit = await auditedDays('2024-06-01', '2024-06-06');
      expect(Object.values(audit).every((outcomes) => outcomes.length === 1)).toBe(true);
      expect(Object.keys(audit)).toEqual(daysBetween('2024-06-01', '2024-06-06'));
    });
  },
);

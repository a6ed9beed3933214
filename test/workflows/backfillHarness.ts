import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../src/activities';
import { activitySettings } from '../../src/worker/ports';
import { backfill, backfillWorkflowId, pause, type BackfillInput } from '../../src/workflows/backfill';
import { createPgPool, pgWarehouse } from '../../src/adapters/warehouse/pgWarehouse';
import type { Warehouse } from '../../src/adapters/warehouse/port';
import {
  createPipelineHarness,
  workflowBundle,
  type PipelineHarness,
  type WarehouseKind,
} from '../support/pipeline';
import { dayFixture } from '../support/searchItems';
import { createLocalWorkflowEnvironment } from '../support/stack';

export type Activities = ReturnType<typeof createActivities>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `ok` holds: waits on the workflow's state, never on the clock. */
export async function waitFor<T>(
  read: () => Promise<T>,
  ok: (value: T) => boolean,
  what: string,
): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`gave up waiting for ${what}; last seen ${JSON.stringify(value)}`);
    await sleep(100);
  }
}

/** A backfill's input with the tests' defaults: two days at a time, no email, no reprocessing, one segment. */
export function backfillInput(backfillId: string, overrides: Partial<BackfillInput>): BackfillInput {
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

export interface BackfillHarness {
  readonly env: TestWorkflowEnvironment;
  readonly h: PipelineHarness;
  /** The warehouse database read directly, for checks in PostgreSQL's own SQL. */
  readonly inspect: Warehouse;
  /** A worker on its own task queue (children inherit it), so each test's activities are its own. */
  startWorker(activities?: Activities): Promise<{ taskQueue: string; stop(): Promise<void> }>;
  /** Starts a backfill already paused (the pause rides on the start), so a test can act before any day runs. */
  startPaused(taskQueue: string, args: BackfillInput): Promise<WorkflowHandle<typeof backfill>>;
  /** Each day's load outcomes in a range, oldest first, of loads started since `since`. */
  auditedDays(from: string, to: string, since?: Date): Promise<Record<string, string[]>>;
  /** Reports sent for the days of a range. */
  emailsFor(from: string, to: string): Promise<number>;
}

/**
 * The Temporal dev server, a pipeline on the `kind` warehouse holding 20 items on each of `seeded` days, and
 * one staff member, for one suite: up in its beforeAll, closed in its afterAll.
 */
export function useBackfillHarness(
  name: string,
  kind: WarehouseKind,
  seeded: readonly string[],
): BackfillHarness {
  let env: TestWorkflowEnvironment | undefined;
  let h: PipelineHarness | undefined;
  let inspect: Warehouse | undefined;
  let queueCount = 0;

  beforeAll(async () => {
    [env, h] = await Promise.all([
      createLocalWorkflowEnvironment(),
      createPipelineHarness(`${name}_${kind.replace('-', '_')}`, {}, { warehouseKind: kind }),
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

  return {
    get env() {
      return env!;
    },
    get h() {
      return h!;
    },
    get inspect() {
      return inspect!;
    },

    async startWorker(activities = createActivities(h!.ports, activitySettings(h!.config))) {
      const taskQueue = `${h!.config.temporal.taskQueue}-${++queueCount}`;
      const worker = await Worker.create({
        connection: env!.nativeConnection,
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
    },

    startPaused(taskQueue, args) {
      return env!.client.workflow.signalWithStart(backfill, {
        taskQueue,
        workflowId: backfillWorkflowId(args.backfillId),
        args: [args],
        signal: pause,
        signalArgs: [],
      });
    },

    async auditedDays(from, to, since) {
      const rows = await inspect!.query<{ day: string; outcome: string }>(
        `SELECT TO_CHAR(query_date, 'YYYY-MM-DD') AS day, outcome FROM dw.load_audit
       WHERE query_date BETWEEN $1 AND $2 AND started_at >= $3 ORDER BY query_date, finished_at`,
        [from, to, (since ?? new Date(0)).toISOString()],
      );
      const out: Record<string, string[]> = {};
      for (const row of rows) (out[row.day] ??= []).push(row.outcome);
      return out;
    },

    async emailsFor(from, to) {
      const [ledger] = await inspect!.query(
        `SELECT 1 FROM information_schema.tables WHERE table_schema = 'dw' AND table_name = 'delivery_ledger'`,
      );
      if (!ledger) return 0;
      const [row] = await inspect!.query<{ n: string }>(
        `SELECT COUNT(*) AS n FROM dw.delivery_ledger WHERE report_date BETWEEN $1 AND $2 AND status = 'sent'`,
        [from, to],
      );
      return Number(row!.n);
    },
  };
}

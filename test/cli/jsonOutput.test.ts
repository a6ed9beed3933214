import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../src/activities';
import type { DeliveryResult } from '../../src/activities/delivery';
import { activitySettings } from '../../src/worker/ports';
import { createPipelineHarness, workflowBundle, type PipelineHarness } from '../support/pipeline';
import { dayFixture } from '../support/searchItems';
import { createLocalWorkflowEnvironment, testDataDir } from '../support/stack';

const execFileAsync = promisify(execFile);
const CLI = path.resolve(__dirname, '../../bin/libreport');

/**
 * `--json` as scripts use it: the real `bin/libreport` in its own process, so an uncaught error after the
 * answer (a progress poll retrying on a closed connection) or a core log line on stdout shows as it would for
 * a user. The progress poll runs every 20 ms instead of 500, so a poll is nearly always in flight when the
 * day's result arrives: the moment the race needs. Without the fix, 2 of 6 runs with the worker in the command
 * hit it (measured by hand); the 8 runs here catch a 1-in-3 failure with 96 % confidence, and all 18 `run`s a
 * 1-in-6 failure with 96 % ((5/6)^18 < 0.04).
 */
describe('--json prints exactly one JSON document and exits 0, run after run', () => {
  let env: TestWorkflowEnvironment;
  let h: PipelineHarness;
  let cliEnv: NodeJS.ProcessEnv;
  let worker: Worker;
  let running: Promise<void> | undefined;
  const DAY = '2024-10-07';
  const staff = ['ann', 'bob'].map((name) => `${name}@json${process.pid}.example`);

  const WITH_WORKER = 8;
  const AGAINST_WORKER = 10;

  async function cli(args: string[]): Promise<{ stdout: string; stderr: string }> {
    try {
      return await execFileAsync(CLI, args, { env: cliEnv, timeout: 90_000, maxBuffer: 16 << 20 });
    } catch (error) {
      const failed = error as { code?: number; stdout?: string; stderr?: string };
      throw new Error(
        `libreport ${args.join(' ')} exited ${failed.code}:\n${failed.stderr}\n--- stdout ---\n${failed.stdout}`,
        { cause: error },
      );
    }
  }

  async function cliJson<T>(args: string[]): Promise<T> {
    const { stdout, stderr } = await cli(args);
    // An error after the answer no longer kills the command, but it must not happen either.
    expect(stderr).not.toMatch(/ignored an error|Channel has been shut down/);
    try {
      return JSON.parse(stdout) as T;
    } catch (error) {
      throw new Error(`libreport ${args.join(' ')} printed more than JSON on stdout:\n${stdout}`, {
        cause: error,
      });
    }
  }

  beforeAll(async () => {
    [env, h] = await Promise.all([createLocalWorkflowEnvironment(), createPipelineHarness('json_out')]);
    await h.putItems(dayFixture(DAY, 40).items);
    await h.ports.rds.query(
      `INSERT INTO staff (name, email, department, active) VALUES ('Ann', $1, 'data', true), ('Bob', $2, 'ops', true)`,
      staff,
    );
    cliEnv = {
      ...process.env,
      LIBREPORT_ENV: 'local',
      LIBREPORT_DATA_DIR: testDataDir(),
      LIBREPORT_PROGRESS_INTERVAL_MS: '20',
      TEMPORAL_ADDRESS: env.address,
      TEMPORAL_TASK_QUEUE: h.config.temporal.taskQueue,
      WAREHOUSE_URL: h.warehouseDb.url,
      RDS_URL: h.rdsDb.url,
      DYNAMODB_ENDPOINT: h.config.dynamo.endpoint,
      DYNAMODB_TABLE: h.config.dynamo.table,
      SES_ENDPOINT: h.config.ses.endpoint,
      REPORT_DIR: h.reportDir,
      LIBREPORT_LOG_LEVEL: 'info',
    };
  });

  afterAll(async () => {
    if (worker?.getState() === 'RUNNING') worker.shutdown();
    await running;
    await h?.close();
    await env?.teardown();
  });

  // First, while no other worker polls: the command's own worker answers the progress query it is shutting down for.
  it(`run --json with the worker in the command, ${WITH_WORKER} times; core logs go to stderr`, async () => {
    for (let i = 0; i < WITH_WORKER; i++) {
      const result = await cliJson<{ delivery: DeliveryResult }>(['run', '--date', DAY, '--json']);
      // The first run sends; a re-run sends nothing, and the counts agree with the recipients.
      expect(result.delivery).toMatchObject(
        i === 0 ? { recipients: 2, sent: 2, alreadySent: 0 } : { recipients: 2, sent: 0, alreadySent: 2 },
      );
    }
  }, 600_000);

  it(`run --json, ${AGAINST_WORKER} times against a long-lived worker`, async () => {
    // As in production: a worker outlives the commands (and each run costs the CLI's start, not a worker's).
    worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: h.config.temporal.taskQueue,
      workflowBundle: await workflowBundle(),
      activities: createActivities(h.ports, activitySettings(h.config)),
    });
    running = worker.run();
    for (let i = 0; i < AGAINST_WORKER; i++) {
      const result = await cliJson<{ load: { outcome: string } }>([
        'run',
        '--date',
        DAY,
        '--no-worker',
        '--no-email',
        '--json',
      ]);
      expect(result.load.outcome).toBe('loaded');
    }
  }, 600_000);

  it('resend --json, status --json and backfill --json', async () => {
    for (let i = 0; i < 3; i++) {
      const resent = await cliJson<{ sent: number; recipients: number }>([
        'resend',
        '--date',
        DAY,
        '--no-worker',
        '--json',
      ]);
      expect(resent).toMatchObject({ sent: 2, recipients: 2 });
      const status = await cliJson<{ runs: unknown[] }>(['status', '--date', DAY, '--json']);
      expect(status.runs.length).toBeGreaterThan(0);
      const backfill = await cliJson<{ done: string[] }>([
        'backfill',
        '--from',
        DAY,
        '--to',
        DAY,
        '--id',
        `json-${i}`,
        '--reprocess',
        'all',
        '--json',
      ]);
      expect(backfill.done).toEqual([DAY]);
    }
  }, 600_000);
});

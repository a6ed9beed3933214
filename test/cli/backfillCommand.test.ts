import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../src/activities';
import { backfillCommand, parseBackfillRange } from '../../src/cli/commands/backfill';
import { addDays, dayInZone, daysBetween } from '../../src/domain/reportDate';
import { activitySettings } from '../../src/worker/ports';
import { backfillWorkflowId, type BackfillProgress } from '../../src/workflows/backfill';
import { createPipelineHarness, workflowBundle, type PipelineHarness } from '../support/pipeline';
import { dayFixture } from '../support/searchItems';
import { createLocalWorkflowEnvironment } from '../support/stack';
import { runCli } from './runCli';

const backfill = (args: string[], env?: NodeJS.ProcessEnv) =>
  runCli([backfillCommand()], ['backfill', ...args], env);

describe('libreport backfill: bad input is one line, exit code 2, nothing started', () => {
  const today = dayInZone(new Date(), 'Asia/Seoul');
  // An address nothing listens on: a command that got as far as Temporal would exit 1, not 2.
  const offline = { TEMPORAL_ADDRESS: '127.0.0.1:1', REPORT_TIMEZONE: 'Asia/Seoul' };

  it.each([
    [['--from', '2024-02-30', '--to', '2024-03-01'], /^libreport: --from "2024-02-30" is not a calendar day/],
    [
      ['--from', '2024-03-05', '--to', '2024-03-01'],
      /^libreport: --from 2024-03-05 is after --to 2024-03-01/,
    ],
    [
      ['--from', '2024-03-01', '--to', today],
      new RegExp(
        `--to ${today} has not finished yet in Asia/Seoul; the latest day to backfill is ${addDays(today, -1)}`,
      ),
    ],
    [['--from', '2024-03-01', '--to', addDays(today, 30)], /has not finished yet/],
    [
      ['--from', '2024-03-01', '--to', '2024-03-02', '--concurrency', '0'],
      /--concurrency.*whole number from 1 to 32/,
    ],
    [
      ['--from', '2024-03-01', '--to', '2024-03-02', '--reprocess', 'some'],
      /--reprocess.*Allowed choices are none, failed, all/,
    ],
    [['--from', '2024-03-01', '--to', '2024-03-02', '--id', 'has space'], /--id "has space" must be/],
    [['--from', '2024-03-01'], /required option '--to <YYYY-MM-DD>' not specified/],
    [['add', 'x', '--from', '2024-03-02', '--to', '2024-03-01'], /is after --to/],
  ])('backfill %j', async (args, message) => {
    const { code, stderr } = await backfill(args, offline);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr.split('\n')).toHaveLength(1);
  });

  it('accepts yesterday as the last day', () => {
    expect(parseBackfillRange('2024-01-01', '2024-01-31', '2024-02-01', 'UTC')).toEqual({
      from: '2024-01-01',
      to: '2024-01-31',
    });
  });
});

describe('libreport backfill against Temporal', () => {
  let env: TestWorkflowEnvironment;
  let h: PipelineHarness;
  let cliEnv: NodeJS.ProcessEnv;
  const days = daysBetween('2024-07-01', '2024-07-03');

  beforeAll(async () => {
    [env, h] = await Promise.all([createLocalWorkflowEnvironment(), createPipelineHarness('backfill_cli')]);
    await h.putItems(days.flatMap((day) => dayFixture(day, 20).items));
    cliEnv = {
      TEMPORAL_ADDRESS: env.address,
      TEMPORAL_TASK_QUEUE: h.config.temporal.taskQueue,
      WAREHOUSE_URL: h.warehouseDb.url,
      RDS_URL: h.rdsDb.url,
      DYNAMODB_TABLE: h.config.dynamo.table,
    };
  });

  afterAll(async () => {
    await h?.close();
    await env?.teardown();
  });

  it('starts detached, pauses, adds only new days, reports status, resumes, and refuses to touch a finished backfill', async () => {
    // No worker yet: the backfill is recorded but nothing runs until one polls.
    const started = await backfill(['--from', days[0]!, '--to', days[0]!, '--id', 'cli', '--detach'], cliEnv);
    expect(started.code).toBe(0);
    expect(started.stderr).toContain(`/namespaces/default/workflows/${backfillWorkflowId('cli')}`);
    expect((await backfill(['pause', 'cli'], cliEnv)).stdout).toBe('backfill cli: paused\n');

    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: h.config.temporal.taskQueue,
      workflowBundle: await workflowBundle(),
      activities: createActivities(h.ports, activitySettings(h.config)),
    });
    await worker.runUntil(async () => {
      const added = await backfill(['add', 'cli', '--from', days[0]!, '--to', days[2]!], cliEnv);
      expect(added).toMatchObject({ code: 0, stdout: 'backfill cli: 2 new days added, 1 already covered\n' });

      const status = await backfill(['status', 'cli', '--json'], cliEnv);
      expect(status.code).toBe(0);
      const paused = JSON.parse(status.stdout) as BackfillProgress;
      expect(paused).toMatchObject({ status: 'paused', total: 3, pending: days, done: [], email: 'skip' });

      const text = await backfill(['status', 'cli'], cliEnv);
      expect(text.stdout).toContain('backfill cli: paused');
      expect(text.stdout).toContain('days [░');

      expect((await backfill(['resume', 'cli'], cliEnv)).code).toBe(0);
      await env.client.workflow.getHandle(backfillWorkflowId('cli')).result();
    });

    const done = await backfill(['status', 'cli', '--json'], cliEnv);
    expect(JSON.parse(done.stdout)).toMatchObject({
      status: 'completed',
      failed: [],
      done: expect.arrayContaining(days),
    });
    const late = await backfill(['add', 'cli', '--from', days[0]!, '--to', days[0]!], cliEnv);
    expect(late.code).toBe(2);
    expect(late.stderr).toMatch(/backfill cli is no longer running \(completed\)/);
    const missing = await backfill(['status', 'nope'], cliEnv);
    expect(missing).toMatchObject({ code: 1, stderr: 'libreport: no backfill with id "nope"' });
  });
});

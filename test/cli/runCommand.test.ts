import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../src/activities';
import { resendCommand } from '../../src/cli/commands/resend';
import { runCommand } from '../../src/cli/commands/run';
import { activitySettings } from '../../src/worker/ports';
import type { DailyReportResult } from '../../src/workflows/dailyReport';
import { createPipelineHarness, workflowBundle, type PipelineHarness } from '../support/pipeline';
import { dayFixture } from '../support/searchItems';
import { createLocalWorkflowEnvironment } from '../support/stack';
import { runCli } from './runCli';

describe('libreport run and resend against Temporal', () => {
  let env: TestWorkflowEnvironment;
  let h: PipelineHarness;
  let cliEnv: NodeJS.ProcessEnv;
  const DAY = '2024-09-02';
  const fixture = dayFixture(DAY, 30);

  async function withWorker<T>(work: () => Promise<T>): Promise<T> {
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: h.config.temporal.taskQueue,
      workflowBundle: await workflowBundle(),
      activities: createActivities(h.ports, activitySettings(h.config)),
    });
    return worker.runUntil(work());
  }

  beforeAll(async () => {
    [env, h] = await Promise.all([createLocalWorkflowEnvironment(), createPipelineHarness('run_cli')]);
    await h.putItems(fixture.items);
    cliEnv = {
      TEMPORAL_ADDRESS: env.address,
      TEMPORAL_TASK_QUEUE: h.config.temporal.taskQueue,
      WAREHOUSE_URL: h.warehouseDb.url,
      RDS_URL: h.rdsDb.url,
      DYNAMODB_TABLE: h.config.dynamo.table,
      REPORT_DIR: h.reportDir,
    };
  });

  afterAll(async () => {
    await h?.close();
    await env?.teardown();
  });

  it('runs a day and prints the summary as JSON', async () => {
    const result = await withWorker(() =>
      runCli([runCommand()], ['run', '--date', DAY, '--no-email', '--no-worker', '--json'], cliEnv),
    );
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as DailyReportResult;
    expect(summary.load).toMatchObject({ outcome: 'loaded', tables: { search_query: fixture.queries } });
    expect(summary.delivery).toBeUndefined();
  });

  it('says what failed inside a failed run, with exit code 2 for a user mistake', async () => {
    const never = '2024-09-01';
    const result = await withWorker(() =>
      runCli([resendCommand()], ['resend', '--date', never, '--no-worker'], cliEnv),
    );
    expect(result.code).toBe(2);
    // (Earlier lines are this test's in-process worker logging the failed workflow.)
    expect(result.stderr.split('\n').pop()).toBe(
      `libreport: there is no report for ${never} yet; run "libreport run --date ${never}" first`,
    );
  });
});

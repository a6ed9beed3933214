import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../src/activities';
import { statusCommand, type StatusReport } from '../../src/cli/commands/status';
import { activitySettings } from '../../src/worker/ports';
import { dailyReport, dailyReportId } from '../../src/workflows/dailyReport';
import { createPipelineHarness, workflowBundle, type PipelineHarness } from '../support/pipeline';
import { dayFixture } from '../support/searchItems';
import { createLocalWorkflowEnvironment } from '../support/stack';
import { runCli } from './runCli';

describe('libreport status', () => {
  let env: TestWorkflowEnvironment;
  let h: PipelineHarness;
  let cliEnv: NodeJS.ProcessEnv;
  const EMAILED = '2024-08-01';
  const QUIET = '2024-08-02';
  const BAD = '2024-13-01';

  const status = (args: string[] = []) => runCli([statusCommand()], ['status', ...args], cliEnv);

  beforeAll(async () => {
    [env, h] = await Promise.all([createLocalWorkflowEnvironment(), createPipelineHarness('status')]);
    // One item dated with a number: every day's scan quarantines it, filed under no day.
    const undated = { ...dayFixture(EMAILED, 1, 'undated').items[0]!, query_date: { N: '20240801' } };
    await h.putItems([...dayFixture(EMAILED, 20).items, ...dayFixture(QUIET, 12).items, undated]);
    await h.ports.rds.query(
      `INSERT INTO staff (name, email, department) VALUES ('김사서', 'librarian@library.test', '자료실')`,
    );
    cliEnv = {
      TEMPORAL_ADDRESS: env.address,
      TEMPORAL_TASK_QUEUE: h.config.temporal.taskQueue,
      WAREHOUSE_URL: h.warehouseDb.url,
      RDS_URL: h.rdsDb.url,
      DYNAMODB_TABLE: h.config.dynamo.table,
    };
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: h.config.temporal.taskQueue,
      workflowBundle: await workflowBundle(),
      activities: createActivities(h.ports, activitySettings(h.config)),
    });
    await worker.runUntil(async () => {
      const run = (date: string, email: 'send' | 'skip') =>
        env.client.workflow.execute(dailyReport, {
          taskQueue: h.config.temporal.taskQueue,
          workflowId: dailyReportId(date),
          args: [{ date, email, segments: 1 }],
        });
      await run(EMAILED, 'send');
      await run(QUIET, 'skip');
      await expect(run(BAD, 'skip')).rejects.toThrow();
    });
  });

  afterAll(async () => {
    await h?.close();
    await env?.teardown();
  });

  it('lists the newest runs with their outcome, counts and email, newest first', async () => {
    // Visibility is eventually consistent: wait until all three runs are listed.
    let result = await status(['--json']);
    for (let i = 0; i < 100 && (JSON.parse(result.stdout) as StatusReport).runs.length < 3; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      result = await status(['--json']);
    }
    const report = JSON.parse(result.stdout) as StatusReport;
    expect(report.warehouseError).toBeUndefined();
    expect(report.runs.map((r) => [r.date, r.status])).toEqual([
      [BAD, 'FAILED'],
      [QUIET, 'COMPLETED'],
      [EMAILED, 'COMPLETED'],
    ]);
    // The newest run failed: a monitoring script sees exit code 1.
    expect(result.code).toBe(1);
    const [bad, quiet, emailed] = report.runs;
    expect(emailed!.load).toEqual({ outcome: 'loaded', sourceItems: 21, queries: 20, quarantinedItems: 1 });
    expect(Object.values(emailed!.email ?? {}).map((statuses) => statuses.sent)).toEqual([1]);
    expect(quiet!.load).toMatchObject({ outcome: 'loaded', queries: 12 });
    expect(quiet!.email).toBeUndefined();
    expect(bad!.load).toBeUndefined();
    expect(report.undated).toEqual({ items: 1, byReason: { invalid_query_date: 1 } });
  });

  it('narrows to one day and prints a table for people', async () => {
    const { code, stdout } = await status(['--date', QUIET]);
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^DATE\s+STATUS\s+STARTED\s+TOOK\s+LOAD\s+QUERIES\s+QUARANTINED\s+EMAIL$/);
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(new RegExp(`^${QUIET}\\s+COMPLETED\\s+.*\\s+loaded\\s+12\\s+1\\s+not sent$`));
    expect(lines[3]).toBe(
      "1 item has no usable query_date (invalid_query_date 1): in dw.quarantine, in no day's numbers",
    );
    const emailed = await status(['--date', EMAILED]);
    expect(emailed.stdout).toMatch(/(report|notice) sent to 1/);
  });

  it('refuses a malformed date with exit code 2', async () => {
    const { code, stderr } = await status(['--date', '2024-02-30']);
    expect(code).toBe(2);
    expect(stderr).toBe(
      'libreport: --date "2024-02-30" is not a calendar day; write it as YYYY-MM-DD, e.g. 2024-05-16',
    );
  });
});

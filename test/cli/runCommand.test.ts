import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../src/activities';
import { resendCommand } from '../../src/cli/commands/resend';
import { runCommand } from '../../src/cli/commands/run';
import type { DeliveryResult } from '../../src/activities/delivery';
import { receivedEmails } from '../../src/stack/ses';
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

  describe('resend to some recipients only', () => {
    // A domain of this run's own, so mail from other suites in the shared SES stand-in never counts here.
    const domain = `r${process.pid}${Math.floor(Math.random() * 1e6)}.example`;
    const [ann, bob, cho, dan] = ['ann', 'bob', 'cho', 'dan'].map((name) => `${name}@${domain}`) as [
      string,
      string,
      string,
      string,
    ];

    const resend = (...args: string[]) =>
      withWorker(() => runCli([resendCommand()], ['resend', '--date', DAY, '--no-worker', ...args], cliEnv));
    const mailTo = async () =>
      (await receivedEmails(h.config.ses.endpoint!))
        // The stand-in keeps a message's To header as one comma-separated string.
        .flatMap((m) => m.destination.to.flatMap((to) => to.split(/,\s*/)))
        .filter((to) => to.endsWith(`@${domain}`))
        .sort();
    const ledger = () =>
      h.ports.warehouse.query<{ recipient: string; status: string; resend: boolean }>(
        `SELECT recipient, status, delivery_key LIKE 'resend:%' AS resend FROM dw.delivery_ledger
         WHERE report_date = $1 AND recipient LIKE $2 ORDER BY resend, recipient`,
        [DAY, `%@${domain}`],
      );

    beforeAll(async () => {
      // A resend needs the day loaded (the first test does it; alone, these tests do it themselves).
      const loaded = await h.ports.warehouse
        .query(`SELECT 1 FROM dw.load_audit WHERE query_date = $1`, [DAY])
        .catch(() => []);
      if (loaded.length === 0)
        await withWorker(() =>
          runCli([runCommand()], ['run', '--date', DAY, '--no-email', '--no-worker'], cliEnv),
        );
      await h.ports.rds.query(
        `INSERT INTO staff (name, email, department, active) VALUES ('Ann', $1, 'data', true),
         ('Bob', $2, 'data', true), ('Cho', $3, 'ops', true)`,
        [ann, bob, cho],
      );
      // The day's send as a worker killed mid-send leaves it: Ann got it, Bob's and Cho's fate is unknown.
      await h.ports.warehouse.query(
        `INSERT INTO dw.delivery_ledger (report_date, kind, delivery_key, recipient, status, updated_at)
         VALUES ($1, 'report', 'daily', $2, 'sent', now()), ($1, 'report', 'daily', $3, 'unknown', now()),
                ($1, 'report', 'daily', $4, 'unknown', now())`,
        [DAY, ann, bob, cho],
      );
    });

    it('--only unknown mails those whose send is unknown, once, recorded as its own delivery', async () => {
      const first = await resend('--only', 'unknown', '--json');
      expect(first.code).toBe(0);
      expect(JSON.parse(first.stdout) as DeliveryResult).toMatchObject({ recipients: 2, sent: 2 });
      expect(await mailTo()).toEqual([bob, cho]);

      // Sent since: a second --only unknown finds nobody.
      const again = await resend('--only', 'unknown', '--json');
      expect(again.code).toBe(0);
      expect(JSON.parse(again.stdout) as DeliveryResult).toMatchObject({ recipients: 0, sent: 0 });
      expect(await mailTo()).toEqual([bob, cho]);
    });

    it('--to mails one address, recorded in the ledger', async () => {
      const result = await resend('--to', dan, '--json');
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout) as DeliveryResult).toMatchObject({ recipients: 1, sent: 1 });
      expect(await mailTo()).toEqual([bob, cho, dan]);
      expect(await ledger()).toEqual([
        { recipient: ann, status: 'sent', resend: false },
        { recipient: bob, status: 'unknown', resend: false },
        { recipient: cho, status: 'unknown', resend: false },
        { recipient: bob, status: 'sent', resend: true },
        { recipient: cho, status: 'sent', resend: true },
        { recipient: dan, status: 'sent', resend: true },
      ]);
    });

    it('refuses a bad address, an unknown status and both options at once with exit code 2', async () => {
      for (const args of [
        ['--to', 'not an address'],
        ['--only', 'sent'],
        ['--only', 'unknown', '--to', dan],
      ]) {
        const result = await runCli(
          [resendCommand()],
          ['resend', '--date', DAY, '--no-worker', ...args],
          cliEnv,
        );
        expect({ args, code: result.code }).toEqual({ args, code: 2 });
      }
      expect(await mailTo()).toEqual([bob, cho, dan]);
    });
  });
});

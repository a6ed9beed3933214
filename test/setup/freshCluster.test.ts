import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../src/activities';
import { setupCommand } from '../../src/cli/commands/setup';
import { runDailyReportWorkflow } from '../../src/cli/dailyRun';
import { addDays, dayInZone } from '../../src/domain/reportDate';
import { receivedEmails, type StoredEmail } from '../../src/stack/ses';
import { activitySettings } from '../../src/worker/ports';
import { dailyReportId } from '../../src/workflows/dailyReport';
import type { ScheduledDailyReportResult } from '../../src/workflows/scheduledDailyReport';
import { REPORT_DATE } from '../../src/workflows/searchAttributes';
import { runCli } from '../cli/runCli';
import { createPipelineHarness, workflowBundle, type PipelineHarness } from '../support/pipeline';
import { dayFixture } from '../support/searchItems';
import { temporalCliForTests } from '../support/stack';

/**
 * A fresh cluster: a Temporal dev server started WITHOUT libreport's search attributes, an empty warehouse.
 * Runs must work before anyone ran setup; after `libreport setup` the Schedule delivers the day's report.
 */
describe('a fresh cluster', () => {
  let env: TestWorkflowEnvironment;
  const domain = `fresh${process.pid}${Math.floor(Math.random() * 1e6)}.example`;
  const staff = ['ann', 'bob', 'cho'].map((name) => `${name}@${domain}`);

  async function addStaff(h: PipelineHarness, emails: readonly string[]): Promise<void> {
    for (const email of emails)
      await h.ports.rds.query(
        `INSERT INTO staff (name, email, department, active) VALUES ($1, $2, 'data', true)`,
        [email.split('@')[0], email],
      );
  }

  /** The stand-in lists a message's To header as one comma-separated string. */
  const recipientsOf = (mail: StoredEmail) => mail.destination.to.flatMap((to) => to.split(/,\s*/));

  async function mailTo(h: PipelineHarness, emails: readonly string[]): Promise<StoredEmail[]> {
    const all = await receivedEmails(h.config.ses.endpoint!);
    return all.filter((mail) => recipientsOf(mail).some((to) => emails.includes(to)));
  }

  function copiesPerRecipient(mails: StoredEmail[], emails: readonly string[]): Record<string, number> {
    const copies: Record<string, number> = {};
    for (const to of mails.flatMap(recipientsOf).filter((to) => emails.includes(to)))
      copies[to] = (copies[to] ?? 0) + 1;
    return copies;
  }

  async function worker(h: PipelineHarness) {
    return Worker.create({
      connection: env.nativeConnection,
      taskQueue: h.config.temporal.taskQueue,
      workflowBundle: await workflowBundle(),
      activities: createActivities(h.ports, activitySettings(h.config)),
    });
  }

  beforeAll(async () => {
    env = await TestWorkflowEnvironment.createLocal({
      // No `searchAttributes`: the namespace has none of libreport's.
      server: { executable: { type: 'existing-path', path: temporalCliForTests() }, ip: '127.0.0.1' },
    });
  });

  afterAll(async () => {
    await env?.teardown();
  });

  it('loads and reports a day before setup ran, without the search attributes', async () => {
    const h = await createPipelineHarness('fresh_nosetup');
    try {
      const day = '2024-06-03';
      const early = staff.map((e) => e.replace('@', '.early@'));
      await h.putItems(dayFixture(day, 30).items);
      await addStaff(h, early);
      const config = { ...h.config, temporal: { ...h.config.temporal, address: env.address } };
      const result = await (
        await worker(h)
      ).runUntil(runDailyReportWorkflow(env.client, config, { input: { date: day, segments: 2 } }));
      expect(result.load.outcome).toBe('loaded');
      expect(result.delivery).toMatchObject({ kind: 'report', sent: 3 });
      expect(copiesPerRecipient(await mailTo(h, early), early)).toEqual(
        Object.fromEntries(early.map((a) => [a, 1])),
      );
      const run = await env.client.workflow.getHandle(dailyReportId(day)).describe();
      expect(run.typedSearchAttributes.get(REPORT_DATE)).toBeUndefined();
    } finally {
      await h.close();
    }
  });

  it('after `libreport setup`, a triggered Schedule emails the day’s report once per recipient', async () => {
    const h = await createPipelineHarness('fresh_setup', {
      SCHEDULE_ID: `fresh-${process.pid}`,
      SWEEP_SCHEDULE_ID: `fresh-sweep-${process.pid}`,
    });
    try {
      const schemas = await h.ports.warehouse.query(
        `SELECT 1 FROM information_schema.schemata WHERE schema_name IN ('dw', 'mart')`,
      );
      expect(schemas).toHaveLength(0);
      const cliEnv = {
        TEMPORAL_ADDRESS: env.address,
        TEMPORAL_TASK_QUEUE: h.config.temporal.taskQueue,
        SCHEDULE_ID: h.config.schedule.id,
        SWEEP_SCHEDULE_ID: h.config.sweepSchedule.id,
        DYNAMODB_TABLE: h.config.dynamo.table,
        WAREHOUSE_URL: h.warehouseDb.url,
        RDS_URL: h.rdsDb.url,
        REPORT_DIR: h.reportDir,
      };
      const setup = await runCli([setupCommand()], ['setup'], cliEnv);
      expect(setup.stderr).toBe('');
      expect(setup.code).toBe(0);
      expect(setup.stdout).toMatch(/search attributes\s+registered ReportDate, ReportStage, ReportOutcome/);
      expect(setup.stdout).toMatch(new RegExp(`schedule\\s+"${h.config.schedule.id}" created`));
      expect(setup.stdout).toMatch(
        new RegExp(
          `sweep schedule\\s+"${h.config.sweepSchedule.id}" created \\(0 3 \\* \\* 0, Asia/Seoul\\)`,
        ),
      );

      // Idempotent: a second run changes nothing and still succeeds.
      const again = await runCli([setupCommand()], ['setup', '--json'], cliEnv);
      expect(again.code).toBe(0);
      const steps = JSON.parse(again.stdout).steps as { step: string; status: string }[];
      expect(steps.map((s) => s.status)).toEqual([
        'unchanged',
        'unchanged',
        'unchanged',
        'unchanged',
        'unchanged',
        'unchanged',
      ]);

      const zone = h.config.report.timeZone;
      const candidates = [
        ...new Set([
          addDays(dayInZone(new Date(), zone), -1),
          addDays(dayInZone(new Date(Date.now() + 120_000), zone), -1),
        ]),
      ];
      await h.putItems(candidates.flatMap((day) => dayFixture(day, 40).items));
      await addStaff(h, staff);

      const handle = env.client.schedule.getHandle(h.config.schedule.id);
      const result = await (
        await worker(h)
      ).runUntil(async () => {
        await handle.trigger();
        let workflowId: string | undefined;
        while (!workflowId) {
          workflowId = (await handle.describe()).info.recentActions[0]?.action.workflow.workflowId;
          if (!workflowId) await new Promise((resolve) => setTimeout(resolve, 100));
        }
        return env.client.workflow.getHandle(workflowId).result() as Promise<ScheduledDailyReportResult>;
      });
      expect(result.outcome).toBe('completed');
      expect(candidates).toContain(result.date);

      const mails = await mailTo(h, staff);
      expect(copiesPerRecipient(mails, staff)).toEqual(Object.fromEntries(staff.map((a) => [a, 1])));
      for (const mail of mails) expect(mail.subject).toBe(`일일 앱 사용 결과 (${result.date})`);
      // Setup registered the search attributes, so the Schedule's runs are findable by day.
      const run = await env.client.workflow.getHandle(dailyReportId(result.date)).describe();
      expect(run.typedSearchAttributes.get(REPORT_DATE)).toBe(result.date);
    } finally {
      for (const id of [h.config.schedule.id, h.config.sweepSchedule.id])
        await env.client.schedule
          .getHandle(id)
          .delete()
          .catch(() => undefined);
      await h.close();
    }
  });
});

import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../src/activities';
import { receivedEmails, type StoredEmail } from '../../src/stack/ses';
import { activitySettings } from '../../src/worker/ports';
import { dailyReport, dailyReportId } from '../../src/workflows/dailyReport';
import {
  createPipelineHarness,
  WAREHOUSE_KINDS,
  workflowBundle,
  type PipelineHarness,
} from '../support/pipeline';
import { dayFixture } from '../support/searchItems';
import { createLocalWorkflowEnvironment } from '../support/stack';

const LOADED_DAY = '2024-07-01';
const EMPTY_DAY = '2024-07-02';

let env: TestWorkflowEnvironment;

beforeAll(async () => {
  env = await createLocalWorkflowEnvironment();
});

afterAll(async () => {
  await env?.teardown();
});

describe.each(WAREHOUSE_KINDS)('the data-quality gate and failure alerts on the %s warehouse', (kind) => {
  let h: PipelineHarness;
  const domain = `q${process.pid}${Math.floor(Math.random() * 1e6)}.example`;
  const staff = `staff@${domain}`;
  const operator = `oncall@${domain}`;

  async function runDay(date: string, harness = h) {
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: harness.config.temporal.taskQueue,
      workflowBundle: await workflowBundle(),
      activities: createActivities(harness.ports, activitySettings(harness.config)),
    });
    return worker.runUntil(
      env.client.workflow.execute(dailyReport, {
        args: [{ date, segments: 2 }],
        taskQueue: harness.config.temporal.taskQueue,
        workflowId: dailyReportId(date),
      }),
    );
  }

  async function mailTo(address: string): Promise<StoredEmail[]> {
    return (await receivedEmails(h.config.ses.endpoint!)).filter((mail) =>
      mail.destination.to.includes(address),
    );
  }

  beforeAll(async () => {
    h = await createPipelineHarness(
      `quality_${kind.replace('-', '_')}`,
      { ALERT_EMAIL: `oncall@${domain}` },
      { warehouseKind: kind },
    );
    await h.putItems(dayFixture(LOADED_DAY, 40).items);
    await h.ports.rds.query(
      `INSERT INTO staff (name, email, department, active) VALUES ('Staff', $1, 'data', true)`,
      [staff],
    );
  });

  afterAll(async () => {
    await h?.close();
  });

  it('sends the normal report for a healthy day and archives it with its numbers', async () => {
    const result = await runDay(LOADED_DAY);
    expect(result.quality.ok).toBe(true);
    expect(result.delivery).toMatchObject({ kind: 'report', sent: 1 });
    const archived = readFileSync(path.join(h.reportDir, `${LOADED_DAY}.html`), 'utf8');
    expect(result.report.location).toBe(path.join(h.reportDir, `${LOADED_DAY}.html`));
    expect(archived).toContain(`일일 앱 사용 결과 (${LOADED_DAY})`);
    expect(archived).toContain('>40<');
  });

  it('sends a short "data delayed" notice instead of a report for a day with no requests, and says why', async () => {
    const result = await runDay(EMPTY_DAY);
    expect(result.load.source.items).toBe(0);
    expect(result.quality).toMatchObject({ ok: false, kind: 'delayed' });
    expect(result.quality.reason).toMatch(/no search requests were loaded for 2024-07-02/);
    expect(result.delivery).toMatchObject({ kind: 'notice', sent: 1 });
    const notices = (await mailTo(staff)).filter((mail) => mail.subject.includes(EMPTY_DAY));
    expect(notices).toHaveLength(1);
    expect(notices[0]!.subject).not.toBe(`일일 앱 사용 결과 (${EMPTY_DAY})`);
  });

  // The alert path fails before the warehouse is touched: once is enough.
  (kind === 'pg' ? it : it.skip)(
    'alerts the operator once per failed day, with the workflow link, and still fails the run',
    async () => {
      const broken = await createPipelineHarness('quality_broken', {
        ALERT_EMAIL: operator,
        DYNAMODB_TABLE: `missing_table_${process.pid}`,
      });
      try {
        await broken.ports.rds.query(
          `INSERT INTO staff (name, email, department, active) VALUES ('S', $1, 'data', true)`,
          [`broken-staff@${domain}`],
        );
        // The harness made the table; drop it so the run meets a missing table, a non-retryable failure.
        await broken.ports.searchTable.ensureTable();
        const { DynamoDBClient, DeleteTableCommand } = await import('@aws-sdk/client-dynamodb');
        const client = new DynamoDBClient({
          endpoint: broken.config.dynamo.endpoint,
          region: broken.config.aws.region,
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        });
        await client.send(new DeleteTableCommand({ TableName: broken.config.dynamo.table }));
        client.destroy();

        const day = '2024-07-03';
        await expect(runDay(day, broken)).rejects.toThrow(/Workflow execution failed/);
        await expect(runDay(day, broken)).rejects.toThrow(/Workflow execution failed/);

        const alerts = (await mailTo(operator)).filter((mail) => mail.subject.includes(day));
        expect(alerts).toHaveLength(1);
        expect(alerts[0]!.body.text).toMatch(/does not exist/);
        expect(alerts[0]!.body.text).toContain(`/workflows/${dailyReportId(day)}/`);
        const staffNotices = (await mailTo(`broken-staff@${domain}`)).filter((mail) =>
          mail.subject.includes(day),
        );
        expect(staffNotices).toHaveLength(1);
      } finally {
        await broken.close();
      }
    },
  );
});

import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { stackCommand } from '../../src/cli/commands/stack';
import { dailyReport, dailyReportId } from '../../src/workflows/dailyReport';
import { runCli } from '../cli/runCli';
import { createPipelineHarness, type PipelineHarness } from '../support/pipeline';
import { dayFixture } from '../support/searchItems';
import { createLocalWorkflowEnvironment, REPO_ROOT } from '../support/stack';
import { startWorkerProcess, workerEnvironment, type WorkerProcess } from '../support/workerProcess';
import { addStaff, copiesPerRecipient, mailFor, oneCopyEach, privateMailDomain } from './support/mailProbe';
import { countsOf, expectExactDay } from './support/warehouseProbe';

const DAY = '2024-08-05';
// Local PostgreSQL trusts loopback logins, so a URL with any password still connects.
const PASSWORD = 'S3cretPassw0rd';

function withPassword(url: string): string {
  const u = new URL(url);
  u.password = PASSWORD;
  return u.toString();
}

/** Text of a history with payload bytes decoded, so a secret inside any payload shows up as text. */
function historyText(history: unknown): string {
  return JSON.stringify(history, (_key, value: unknown) =>
    value instanceof Uint8Array ? Buffer.from(value).toString('utf8') : value,
  );
}

describe('secrets stay out of histories, logs and status output', () => {
  let env: TestWorkflowEnvironment;
  let h: PipelineHarness;
  let worker: WorkerProcess | undefined;
  const fixture = dayFixture(DAY, 30);
  const mail = privateMailDomain('secrets');
  const staff = [mail.address('ann')];

  beforeAll(async () => {
    [env, h] = await Promise.all([createLocalWorkflowEnvironment(), createPipelineHarness('faults_secrets')]);
    await Promise.all([h.putItems(fixture.items), addStaff(h.ports.rds, staff)]);
  });

  afterAll(async () => {
    await worker?.kill('SIGKILL');
    await h?.close();
    await env?.teardown();
  });

  it('runs a day with passwords in the database URLs without writing them to the history or the log', async () => {
    worker = startWorkerProcess(
      workerEnvironment(h.config, {
        TEMPORAL_ADDRESS: env.address,
        WAREHOUSE_URL: withPassword(h.warehouseDb.url),
        RDS_URL: withPassword(h.rdsDb.url),
        SES_ENDPOINT: h.config.ses.endpoint,
        LIBREPORT_LOG_LEVEL: 'debug',
      }),
    );
    await worker.ready;
    const handle = await env.client.workflow.start(dailyReport, {
      args: [{ date: DAY, segments: 2 }],
      taskQueue: h.config.temporal.taskQueue,
      workflowId: dailyReportId(DAY),
    });
    const result = await handle.result();
    await worker.kill('SIGTERM');

    expect(result.load.outcome).toBe('loaded');
    await expectExactDay(h.ports.warehouse, DAY, countsOf(fixture));
    expect(copiesPerRecipient(await mailFor(h.config.ses.endpoint!, mail.domain, DAY))).toEqual(oneCopyEach(staff));

    const history = historyText(await handle.fetchHistory());
    expect(history).toContain(DAY); // decoded payloads are in the text searched
    expect(history).not.toContain(PASSWORD);
    const log = worker.output();
    expect(log).toContain('worker polling task queue');
    expect(log.split('\n').length).toBeGreaterThan(3); // debug logging wrote the run's activity
    expect(log).not.toContain(PASSWORD);
  });

  it('prints the database URLs redacted in "libreport stack status --json"', async () => {
    const { stdout } = await runCli([stackCommand()], ['stack', 'status', '--json'], {
      TEMPORAL_ADDRESS: env.address,
      WAREHOUSE_URL: withPassword(h.warehouseDb.url),
      RDS_URL: withPassword(h.rdsDb.url),
    });
    const status = JSON.parse(stdout) as { parts: { name: string; endpoint: string; running: boolean }[] };
    const warehouse = status.parts.find((p) => p.name === 'warehouse');
    expect(warehouse?.running).toBe(true);
    expect(warehouse?.endpoint).toContain(':***@');
    expect(stdout).not.toContain(PASSWORD);
  });

  it('tracks no file holding an AWS access key', () => {
    const files = execFileSync('git', ['ls-files', '-z'], { cwd: REPO_ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
    expect(files.length).toBeGreaterThan(50);
    const keyShapes = [/\b(AKIA|ASIA)[0-9A-Z]{16}\b/, /aws_secret_access_key\s*[=:]\s*["']?[A-Za-z0-9/+]{40}\b/i];
    const holding = files.filter((file) => {
      const full = path.join(REPO_ROOT, file);
      let size: number;
      try {
        size = statSync(full).size;
      } catch {
        return false; // deleted in the working tree
      }
      if (size > 5_000_000) return false;
      const text = readFileSync(full, 'latin1');
      return keyShapes.some((shape) => shape.test(text));
    });
    expect(holding).toEqual([]);
  });
});

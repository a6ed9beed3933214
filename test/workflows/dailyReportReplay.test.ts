import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { ActivityFailure } from '@temporalio/common';
import { WorkflowFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../src/activities';
import { activitySettings } from '../../src/worker/ports';
import { dailyReport, dailyReportId } from '../../src/workflows/dailyReport';
import { createPipelineHarness, workflowBundle, type PipelineHarness } from '../support/pipeline';
import { dayFixture } from '../support/searchItems';
import { createLocalWorkflowEnvironment } from '../support/stack';

const DAY = '2024-05-16';
const HISTORIES = path.join(__dirname, 'histories');

/**
 * Histories recorded by earlier versions of `dailyReport`, each named after the first patch it predates. A
 * run started before a change to the workflow's commands must still replay on today's code (`patched()`
 * keeps the old path for it): a worker that cannot replay it fails the run's next workflow task.
 * To record one: `RECORD_DAILY_REPORT_HISTORY=<name> npx jest test/workflows/dailyReportReplay.test.ts`
 * writes the current code's history as `histories/<name>.bin`.
 */
const RECORDED = ['dailyReport-before-plan-beside-prepare', 'dailyReport-before-tail-beside'];

let env: TestWorkflowEnvironment;
let h: PipelineHarness;

beforeAll(async () => {
  env = await createLocalWorkflowEnvironment();
  h = await createPipelineHarness('daily_replay');
  await h.putItems(dayFixture(DAY, 40).items);
});

afterAll(async () => {
  await h?.close();
  await env?.teardown();
});

describe('dailyReport plans beside its preparation', () => {
  it('fails a day whose plan is refused once its staging is made, and drops that staging', async () => {
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: h.config.temporal.taskQueue,
      workflowBundle: await workflowBundle(),
      activities: createActivities(h.ports, activitySettings(h.config)),
    });
    // The harness's table has no day index: asking for it is refused by planScan (a UserInputError).
    const failure = await worker
      .runUntil(
        env.client.workflow.execute(dailyReport, {
          args: [{ date: DAY, segments: 2, email: 'skip', readPath: 'index' }],
          taskQueue: h.config.temporal.taskQueue,
          workflowId: `${dailyReportId(DAY)}-no-index`,
        }),
      )
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    const cause = (failure as WorkflowFailedError).cause;
    expect(cause).toBeInstanceOf(ActivityFailure);
    expect((cause as ActivityFailure).cause).toMatchObject({ type: 'UserInputError' });
    const staged = await h.ports.warehouse.query<{ n: string }>(
      `SELECT COUNT(*) AS n FROM pg_tables WHERE schemaname = 'dw_stage' AND tablename <> 'runs'`,
    );
    expect(Number(staged[0]!.n)).toBe(0);
  });
});

describe('dailyReport replays', () => {
  it("today's own history, recorded now", async () => {
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: h.config.temporal.taskQueue,
      workflowBundle: await workflowBundle(),
      activities: createActivities(h.ports, activitySettings(h.config)),
    });
    const handle = await worker.runUntil(async () => {
      const started = await env.client.workflow.start(dailyReport, {
        args: [{ date: DAY, segments: 2, pageLimit: 10, email: 'skip' }],
        taskQueue: h.config.temporal.taskQueue,
        workflowId: dailyReportId(DAY),
      });
      await started.result();
      return started;
    });
    const history = await handle.fetchHistory();
    const record = process.env.RECORD_DAILY_REPORT_HISTORY;
    if (record) {
      writeFileSync(
        path.join(HISTORIES, `${record}.bin`),
        temporal.api.history.v1.History.encode(history).finish(),
      );
    }
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, handle.workflowId);
  });

  it.each(RECORDED)('%s, recorded by the code of that time', async (name) => {
    const file = path.join(HISTORIES, `${name}.bin`);
    expect(existsSync(file)).toBe(true);
    // Binary protobuf: the SDK's JSON history reader fails under jest (two protobufjs copies).
    const history = temporal.api.history.v1.History.decode(readFileSync(file));
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, name);
  });
});

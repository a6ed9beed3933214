import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { runDailyReportWorkflow } from '../../src/cli/dailyRun';
import { dailyReportId } from '../../src/workflows/dailyReport';
import { createTestWorker } from '../faults/support/testWorker';
import { createPipelineHarness, type PipelineHarness } from '../support/pipeline';
import { dayFixture } from '../support/searchItems';
import { createLocalWorkflowEnvironment } from '../support/stack';

const DAY = '2024-06-11';

describe('stage timeouts come from configuration', () => {
  let env: TestWorkflowEnvironment;
  let h: PipelineHarness;

  beforeAll(async () => {
    [env, h] = await Promise.all([
      createLocalWorkflowEnvironment(),
      createPipelineHarness('stage_timeouts', {
        SCAN_HEARTBEAT_TIMEOUT_SECONDS: '4',
        STAGE_HEARTBEAT_TIMEOUT_SECONDS: '7',
        SEND_HEARTBEAT_TIMEOUT_SECONDS: '9',
        QUICK_STAGE_TIMEOUT_SECONDS: '11',
      }),
    ]);
    await h.putItems(dayFixture(DAY, 30).items);
  });

  afterAll(async () => {
    await h?.close();
    await env?.teardown();
  });

  it("gives every long stage a heartbeat timeout from the starter's config, the migration its own step", async () => {
    const worker = await createTestWorker(env, h);
    const result = await worker.runUntil(
      runDailyReportWorkflow(env.client, h.config, { input: { date: DAY, segments: 2, email: 'send' } }),
    );
    expect(result.load.outcome).toBe('loaded');

    const history = await env.client.workflow.getHandle(dailyReportId(DAY)).fetchHistory();
    // Seconds of each scheduled activity's heartbeat timeout; 0 for none (quick steps time out start-to-close).
    const heartbeatSeconds: Record<string, number> = {};
    const quickStartToClose = new Set<number>();
    for (const event of history.events ?? []) {
      const scheduled = event.activityTaskScheduledEventAttributes;
      if (!scheduled) continue;
      const name = scheduled.activityId?.startsWith('segment-')
        ? scheduled.activityId
        : scheduled.activityType!.name!;
      heartbeatSeconds[name] = Number(scheduled.heartbeatTimeout?.seconds ?? 0);
      if (heartbeatSeconds[name] === 0) quickStartToClose.add(Number(scheduled.startToCloseTimeout?.seconds));
    }
    // The quick steps' start-to-close comes from the config too: a task lost with its worker waits that long.
    expect([...quickStartToClose]).toEqual([11]);
    expect(heartbeatSeconds).toEqual({
      migrateWarehouse: 7,
      prepareRun: 0,
      planScan: 0,
      'segment-0': 4,
      'segment-1': 4,
      extractRds: 7,
      loadDay: 7,
      dropStaging: 0,
      refreshMart: 7,
      checkDataQuality: 0,
      renderReport: 7,
      sendReport: 9,
    });
  });
});

import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { RawItem } from '../../src/adapters/dynamo/port';
import { createActivities } from '../../src/activities';
import { ensureWarehouseSchema } from '../../src/activities/warehouseSchema';
import { describeSchedule, summarizeSchedule } from '../../src/schedule/dailySchedule';
import { sweepScheduleOptions } from '../../src/schedule/sweepSchedule';
import { syncScheduleOptions } from '../../src/setup/schedule';
import { activitySettings } from '../../src/worker/ports';
import type { SweepUndatedResult } from '../../src/workflows/sweepUndated';
import { createPipelineHarness, workflowBundle, type PipelineHarness } from '../support/pipeline';
import { dayFixture } from '../support/searchItems';
import { createLocalWorkflowEnvironment, testStackConfig } from '../support/stack';

describe('the weekly sweep Schedule', () => {
  let env: TestWorkflowEnvironment;
  let h: PipelineHarness;
  const scheduleEnv = { SWEEP_SCHEDULE_ID: `libreport-sweep-test-${process.pid}` };

  beforeAll(async () => {
    [env, h] = await Promise.all([
      createLocalWorkflowEnvironment(),
      // Without the day index: a table from before the index may still hold wrong-typed dates.
      createPipelineHarness('sweep_schedule', scheduleEnv),
    ]);
  });

  afterEach(async () => {
    await env.client.schedule
      .getHandle(h.config.sweepSchedule.id)
      .delete()
      .catch(() => undefined);
  });

  afterAll(async () => {
    await h?.close();
    await env?.teardown();
  });

  it('is weekly by default: Sunday 03:00 in the schedule zone, sweepUndated over SWEEP_SEGMENTS, never overlapping', async () => {
    expect(await syncScheduleOptions(env.client, sweepScheduleOptions(h.config))).toBe('created');
    expect(await syncScheduleOptions(env.client, sweepScheduleOptions(h.config))).toBe('unchanged');

    const summary = summarizeSchedule(await describeSchedule(env.client, h.config.sweepSchedule.id));
    expect(summary).toMatchObject({
      scheduleId: h.config.sweepSchedule.id,
      cron: ['0 3 * * 0'],
      timeZone: 'Asia/Seoul',
      workflowType: 'sweepUndated',
      taskQueue: h.config.temporal.taskQueue,
      args: [{ segments: 4, heartbeatSeconds: h.config.timeouts.scanHeartbeatSeconds }],
      overlap: 'SKIP',
      catchupWindowMs: 24 * 60 * 60 * 1000,
      pauseOnFailure: false,
      paused: false,
    });
    // Sunday 03:00 in Seoul is Saturday 18:00 UTC, a week apart.
    expect(summary.nextRuns.length).toBeGreaterThan(1);
    for (const next of summary.nextRuns) {
      expect(next).toMatch(/T18:00:00\.000Z$/);
      expect(new Date(next).getUTCDay()).toBe(6);
    }
    const [first, second] = summary.nextRuns.map((t) => Date.parse(t));
    expect(second! - first!).toBe(7 * 24 * 60 * 60 * 1000);
  });

  it('follows SWEEP_SCHEDULE_CRON and SWEEP_SEGMENTS when setup runs again, and stays paused if paused', async () => {
    await syncScheduleOptions(env.client, sweepScheduleOptions(h.config));
    await env.client.schedule.getHandle(h.config.sweepSchedule.id).pause('table maintenance');

    const changed = testStackConfig({
      ...scheduleEnv,
      TEMPORAL_TASK_QUEUE: h.config.temporal.taskQueue,
      SWEEP_SCHEDULE_CRON: '30 2 * * 3',
      SWEEP_SEGMENTS: '8',
    });
    expect(await syncScheduleOptions(env.client, sweepScheduleOptions(changed))).toBe('updated');
    const summary = summarizeSchedule(await describeSchedule(env.client, h.config.sweepSchedule.id));
    expect(summary).toMatchObject({
      cron: ['30 2 * * 3'],
      args: [{ segments: 8 }],
      paused: true,
      note: 'table maintenance',
    });
    for (const next of summary.nextRuns) expect(next).toMatch(/T17:30:00\.000Z$/);
    // What describe shows is what the Schedule does, so the next setup finds nothing to change.
    expect(await syncScheduleOptions(env.client, sweepScheduleOptions(changed))).toBe('unchanged');
    // A change other than the cron is an update in place.
    const segmentsOnly = testStackConfig({
      ...scheduleEnv,
      TEMPORAL_TASK_QUEUE: h.config.temporal.taskQueue,
      SWEEP_SCHEDULE_CRON: '30 2 * * 3',
    });
    expect(await syncScheduleOptions(env.client, sweepScheduleOptions(segmentsOnly))).toBe('updated');
    expect(summarizeSchedule(await describeSchedule(env.client, h.config.sweepSchedule.id))).toMatchObject({
      cron: ['30 2 * * 3'],
      args: [{ segments: 4 }],
      paused: true,
    });
  });

  it('trigger sweeps the table: every item the day index cannot see is quarantined under no day', async () => {
    const base = dayFixture('2024-05-14', 30).items;
    const undated: RawItem[] = [
      { ...base[0]!, query_id: { S: 'no-date' } },
      { ...base[1]!, query_id: { S: 'number-date' }, query_date: { N: '20240514' } },
      { ...base[2]!, query_id: { S: 'feb-30' }, query_date: { S: '2024-02-30' } },
      { ...base[3]!, query_id: { S: 'garbage' }, query_date: { S: 'yesterday!' } },
    ];
    delete undated[0]!.query_date;
    await h.putItems([...base.slice(4), ...undated]);
    await ensureWarehouseSchema(h.ports.warehouse);

    const handle = await env.client.schedule.create({
      ...sweepScheduleOptions(h.config),
      state: { paused: true },
    });
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: h.config.temporal.taskQueue,
      workflowBundle: await workflowBundle(),
      activities: createActivities(h.ports, activitySettings(h.config)),
    });
    const result = await worker.runUntil(async () => {
      // A paused Schedule still takes a manual trigger.
      await handle.trigger();
      let workflowId: string | undefined;
      while (!workflowId) {
        workflowId = (await handle.describe()).info.recentActions[0]?.action.workflow.workflowId;
        if (!workflowId) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return env.client.workflow.getHandle(workflowId).result() as Promise<SweepUndatedResult>;
    });

    expect(result).toMatchObject({ segments: 4, itemsRead: base.length, quarantined: undated.length });
    const rows = await h.ports.warehouse.query<{ source_key: string }>(
      `SELECT source_key FROM dw.quarantine WHERE query_date IS NULL ORDER BY source_key`,
    );
    expect(rows.map((r) => r.source_key)).toEqual(['feb-30', 'garbage', 'no-date', 'number-date']);
  });
});

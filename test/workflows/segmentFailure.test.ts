import { WorkflowFailedError } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { createActivities } from '../../src/activities';
import type { SearchTable } from '../../src/adapters/dynamo/port';
import type { Warehouse } from '../../src/adapters/warehouse/port';
import { RejectedDataError } from '../../src/errors';
import { activitySettings } from '../../src/worker/ports';
import { dailyReport, dailyReportId } from '../../src/workflows/dailyReport';
import { createPipelineHarness, workflowBundle, type PipelineHarness } from '../support/pipeline';
import { dayFixture } from '../support/searchItems';
import { createLocalWorkflowEnvironment } from '../support/stack';

const DAY = '2024-06-10';
const EventType = temporal.api.enums.v1.EventType;

describe('one failed segment stops the day', () => {
  let env: TestWorkflowEnvironment;
  let h: PipelineHarness;

  beforeAll(async () => {
    [env, h] = await Promise.all([
      createLocalWorkflowEnvironment(),
      createPipelineHarness('segment_failure'),
    ]);
    await h.putItems(dayFixture(DAY, 300).items);
  });

  afterAll(async () => {
    await h?.close();
    await env?.teardown();
  });

  it('cancels the sibling scans, waits for them to stop, then drops staging and fails with the cause', async () => {
    const slowPages: number[] = [];
    let stagingDroppedAt: number | undefined;
    // Segment 0 reads slowly, page after page; segment 1 finds data it must refuse a second into the run.
    const searchTable: SearchTable = {
      ...h.ports.searchTable,
      async scanPage(request) {
        if (request.segment === 1) {
          await new Promise((resolve) => setTimeout(resolve, 1000));
          throw new RejectedDataError('segment 1 read an item the warehouse refuses');
        }
        slowPages.push(Date.now());
        await new Promise((resolve) => setTimeout(resolve, 250));
        return h.ports.searchTable.scanPage(request);
      },
    };
    const warehouse: Warehouse = {
      ...h.ports.warehouse,
      async query(sql, params) {
        // (prepareRun drops and remakes the run's tables before any scan: only dropStaging's drop counts.)
        if (sql.startsWith('DROP TABLE IF EXISTS dw_stage.') && slowPages.length > 0)
          stagingDroppedAt ??= Date.now();
        return h.ports.warehouse.query(sql, params);
      },
    };
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: h.config.temporal.taskQueue,
      workflowBundle: await workflowBundle(),
      activities: createActivities({ ...h.ports, searchTable, warehouse }, activitySettings(h.config)),
    });

    const handle = await env.client.workflow.start(dailyReport, {
      args: [{ date: DAY, segments: 2, pageLimit: 5, email: 'skip', timeouts: { scanHeartbeatSeconds: 3 } }],
      taskQueue: h.config.temporal.taskQueue,
      workflowId: dailyReportId(DAY),
    });
    const failure = await worker.runUntil(
      handle.result().then(
        () => undefined,
        (error: unknown) => error,
      ),
    );
    const pagesWhenDone = slowPages.length;
    await new Promise((resolve) => setTimeout(resolve, 2000));

    // The run fails with segment 1's own error, not with the cancellation it caused.
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    const cause = (failure as WorkflowFailedError).cause;
    expect(cause).toBeInstanceOf(ActivityFailure);
    expect(((cause as ActivityFailure).cause as ApplicationFailure).type).toBe('RejectedDataError');

    // Segment 0 was cancelled and confirmed it stopped before staging was dropped; it reads nothing after.
    const events = (await handle.fetchHistory()).events ?? [];
    const scheduledId = (activityId: string) =>
      events.find((e) => e.activityTaskScheduledEventAttributes?.activityId === activityId)?.eventId;
    const segment0 = scheduledId('segment-0');
    const cancelled = events.find(
      (e) =>
        e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_CANCELED &&
        e.activityTaskCanceledEventAttributes?.scheduledEventId?.toString() === segment0?.toString(),
    );
    expect(cancelled).toBeDefined();
    const dropScheduled = events.find(
      (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'dropStaging',
    );
    expect(Number(dropScheduled!.eventId)).toBeGreaterThan(Number(cancelled!.eventId));
    expect(stagingDroppedAt).toBeDefined();
    expect(slowPages.filter((at) => at >= stagingDroppedAt!)).toEqual([]);
    expect(slowPages.length).toBe(pagesWhenDone);
    // It was stopped early, not left to finish its share of the day (~30 pages).
    expect(slowPages.length).toBeLessThan(20);
  });
});

import { createActivities } from '../../src/activities';
import { daysBetween } from '../../src/domain/reportDate';
import { activitySettings } from '../../src/worker/ports';
import { backfill, backfillWorkflowId, progress, type BackfillProgress } from '../../src/workflows/backfill';
import { Worker } from '@temporalio/worker';
import { WAREHOUSE_KINDS, workflowBundle } from '../support/pipeline';
import { backfillInput as input, useBackfillHarness, waitFor } from './backfillHarness';

/** A backfill outliving its worker and its own history: rebuilt from history, continued as new. */
describe.each(WAREHOUSE_KINDS)('backfill on the %s warehouse: across a worker restart', (kind) => {
  const harness = useBackfillHarness('backfill_restart', kind, [...daysBetween('2024-06-01', '2024-06-06')]);
  const { auditedDays, startWorker } = harness;

  it('survives a worker restart and continues as new, carrying its progress', async () => {
    const first = await startWorker();
    const args = input('restart', {
      ranges: [{ from: '2024-06-01', to: '2024-06-06' }],
      concurrency: 1,
      // A handful of events: forces continue-as-new after about two days.
      continueAsNewAfterEvents: 30,
      // A task handed to the stopping worker just as it stopped is lost with it; as in production, Temporal
      // retries it after its timeout, and short real timeouts keep that within the test's time.
      day: {
        segments: 1,
        timeouts: {
          scanHeartbeatSeconds: 5,
          heartbeatSeconds: 5,
          sendHeartbeatSeconds: 5,
          quickSeconds: 10,
        },
      },
    });
    const handle = await harness.env.client.workflow.start(backfill, {
      taskQueue: first.taskQueue,
      workflowId: backfillWorkflowId('restart'),
      args: [args],
    });
    await waitFor(
      () => handle.query(progress),
      (p) => p.done.length >= 2,
      'two finished days',
    );
    await first.stop();
    expect((await handle.describe()).status.name).toBe('RUNNING');

    // The same task queue, a new worker process: the workflow's state is rebuilt from history.
    const worker = await Worker.create({
      connection: harness.env.nativeConnection,
      taskQueue: first.taskQueue,
      workflowBundle: await workflowBundle(),
      activities: createActivities(harness.h.ports, activitySettings(harness.h.config)),
    });
    const result: BackfillProgress = await worker.runUntil(handle.result());
    expect(result.status).toBe('completed');
    expect([...result.done].sort()).toEqual(daysBetween('2024-06-01', '2024-06-06'));
    expect(result.generation).toBeGreaterThan(0);
    const audit = await auditedDays('2024-06-01', '2024-06-06');
    expect(Object.values(audit).every((outcomes) => outcomes.length === 1)).toBe(true);
    expect(Object.keys(audit)).toEqual(daysBetween('2024-06-01', '2024-06-06'));
  });
});

import type { Client, WorkflowHandle } from '@temporalio/client';
import { waitFor } from './waitFor';

/**
 * Reports the pending attempt of `activityType` as failed, as its timeout would once the server noticed the
 * worker running it is gone. Activities without a heartbeat timeout (renderReport: 5-minute start-to-close) or
 * with a long one (sendReport: 2 minutes) would otherwise keep a test waiting for minutes; the retry that
 * follows is the real one. It also drops the dead worker's sticky queue, as the server does by itself after
 * the 10-second sticky schedule-to-start timeout, so the next workflow task goes to the live worker at once.
 */
export async function failLostAttempt(client: Client, handle: WorkflowHandle, activityType: string): Promise<number> {
  const pending = await waitFor(`a pending ${activityType} attempt`, async () => {
    const description = await handle.describe();
    const activity = description.raw.pendingActivities?.find((a) => a.activityType?.name === activityType);
    return activity?.activityId ? { runId: description.runId, activityId: activity.activityId, attempt: activity.attempt ?? 1 } : undefined;
  });
  await client.workflowService.resetStickyTaskQueue({
    namespace: client.options.namespace,
    execution: { workflowId: handle.workflowId, runId: pending.runId },
  });
  await client.activity.fail(
    { workflowId: handle.workflowId, runId: pending.runId, activityId: pending.activityId },
    new Error('the worker running this attempt was killed'),
  );
  return pending.attempt;
}

import { ScheduleAlreadyRunning, type Client, type ScheduleDescription } from '@temporalio/client';
import type { Config } from '../config/config';
import { dailyScheduleOptions } from '../schedule/dailySchedule';
import type { ScheduledDailyReportInput } from '../workflows/scheduledDailyReport';

export type ScheduleChange = 'created' | 'updated' | 'unchanged';

/**
 * Makes the daily Schedule match this configuration: creates it, or updates its spec, action and policies
 * when any differ (cron, zone, task queue, stage timeouts, whether runs set search attributes). Its paused
 * state and note are left alone: a deploy must not unpause what an operator paused.
 */
export async function syncSchedule(
  client: Client,
  config: Config,
  day: ScheduledDailyReportInput['day'],
): Promise<ScheduleChange> {
  const wanted = dailyScheduleOptions(config, day);
  try {
    await client.schedule.create(wanted);
    return 'created';
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
  }
  const handle = client.schedule.getHandle(config.schedule.id);
  const current = await handle.describe();
  if (sameSchedule(current, wanted)) return 'unchanged';
  await handle.update((previous) => ({
    ...previous,
    spec: wanted.spec,
    action: { ...previous.action, ...wanted.action },
    policies: { ...previous.policies, ...wanted.policies },
  }));
  return 'updated';
}

type Wanted = ReturnType<typeof dailyScheduleOptions>;

/** Compares what setup controls. The zone offsets are left out: they are recomputed from today on every call. */
function sameSchedule(current: ScheduleDescription, wanted: Wanted): boolean {
  const args = (list: readonly unknown[] | undefined) =>
    JSON.stringify(
      (list ?? []).map((arg) => {
        const { zoneRules: _rules, ...rest } = arg as ScheduledDailyReportInput;
        return rest;
      }),
    );
  const action = current.action;
  return (
    action.type === 'startWorkflow' &&
    action.workflowType === wanted.action.workflowType &&
    action.taskQueue === wanted.action.taskQueue &&
    args(action.args) === args(wanted.action.args) &&
    (current.spec.timezone ?? 'UTC') === wanted.spec.timezone &&
    current.memo?.cron === wanted.spec.cronExpressions?.[0] &&
    current.policies.overlap === wanted.policies?.overlap
  );
}

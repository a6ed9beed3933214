import {
  ScheduleAlreadyRunning,
  type Client,
  type ScheduleDescription,
  type ScheduleOptions,
} from '@temporalio/client';
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
  // The zone offsets are left out of the comparison: they are recomputed from today on every call.
  return syncScheduleOptions(client, dailyScheduleOptions(config, day), (arg) => {
    const { zoneRules: _rules, ...rest } = arg as ScheduledDailyReportInput;
    return rest;
  });
}

/**
 * Makes the Schedule `wanted` describes exist as described: creates it, or updates its spec, action and
 * policies when what setup controls differs (re-creates it when the cron changes); its paused state and note
 * are kept. `comparable` maps each
 * workflow argument to what counts in the comparison.
 */
export async function syncScheduleOptions(
  client: Client,
  wanted: ScheduleOptions,
  comparable: (arg: unknown) => unknown = (arg) => arg,
): Promise<ScheduleChange> {
  try {
    await client.schedule.create(wanted);
    return 'created';
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
  }
  const handle = client.schedule.getHandle(wanted.scheduleId);
  const current = await handle.describe();
  if (sameSchedule(current, wanted, comparable)) return 'unchanged';
  if (current.memo?.cron !== wanted.memo?.cron) {
    // The memo keeps the cron text `schedule describe` shows, and a Schedule's memo cannot be updated: a new
    // cron makes a new Schedule, with the paused state and note of the old one (runs already started go on).
    await handle.delete();
    await client.schedule.create({
      ...wanted,
      state: { ...wanted.state, paused: current.state.paused, note: current.state.note },
    });
    return 'updated';
  }
  await handle.update((previous) => ({
    ...previous,
    spec: wanted.spec,
    action: { ...previous.action, ...wanted.action },
    policies: { ...previous.policies, ...wanted.policies },
  }));
  return 'updated';
}

/** Compares what setup controls. */
function sameSchedule(
  current: ScheduleDescription,
  wanted: ScheduleOptions,
  comparable: (arg: unknown) => unknown,
): boolean {
  const args = (list: readonly unknown[] | undefined) => JSON.stringify((list ?? []).map(comparable));
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

import {
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleDescription,
  type ScheduleHandle,
  type ScheduleOptions,
} from '@temporalio/client';
import type { Config } from '../config/config';
import { MissingResourceError } from '../errors';
import { searchAttributesUsable } from '../temporal/searchAttributes';
import { zoneRules } from '../domain/zoneRules';
import type { ScheduledDailyReportInput } from '../workflows/scheduledDailyReport';
import { workflowScheduleOptions } from './workflowSchedule';

/** Years of the report zone's offsets a Schedule carries; re-create it before they run out (or tz law changes). */
export const ZONE_RULE_YEARS = 25;

/**
 * How far back missed runs are still taken when the server comes back: a day covers an outage of a
 * few hours (and a whole day's) without ever replaying a week of stale reports at once.
 */
export const CATCHUP_WINDOW = '1 day';

/**
 * BUFFER_ALL: each run reports a different day, so a run that fires while yesterday's is still going
 * (a slow or retrying day, a catch-up after an outage) waits its turn instead of being dropped the way
 * SKIP would drop it. Runs never overlap; the same day is never run twice at once because the child
 * `dailyReport`'s workflow id is the day.
 */
export const OVERLAP_POLICY = ScheduleOverlapPolicy.BUFFER_ALL;

/** The daily Schedule: `scheduledDailyReport` at the configured cron and zone, reporting yesterday. */
export function dailyScheduleOptions(
  config: Config,
  day?: ScheduledDailyReportInput['day'],
): ScheduleOptions {
  const { timeZone } = config.report;
  const args: [ScheduledDailyReportInput] = [
    {
      timeZone,
      zoneRules: scheduleZoneRules(timeZone),
      // The stage timeouts configured where the Schedule is made; re-create it to change them.
      day: { timeouts: config.timeouts, ...day },
    },
  ];
  return workflowScheduleOptions(config, {
    scheduleId: config.schedule.id,
    cron: config.schedule.cron,
    workflowType: 'scheduledDailyReport',
    args,
    overlap: OVERLAP_POLICY,
    catchupWindow: CATCHUP_WINDOW,
    purpose: 'Daily library search usage report for yesterday, in the report time zone',
  });
}

/** The offsets a Schedule carries: from a year back (a catch-up or a trigger of an older time) for the years ahead. */
function scheduleZoneRules(timeZone: string) {
  return zoneRules(timeZone, new Date(Date.now() - 366 * 24 * 60 * 60_000), ZONE_RULE_YEARS);
}

/**
 * Creates the daily Schedule unless it exists (one made before Schedules carried the zone's offsets gets
 * them). Returns whether it was created. Safe to call on every start.
 */
export async function ensureSchedule(
  client: Client,
  config: Config,
  day?: ScheduledDailyReportInput['day'],
): Promise<{ created: boolean; handle: ScheduleHandle }> {
  // Runs of a namespace without libreport's search attributes must not set them (see `reportMarks`).
  const marked = await searchAttributesUsable(client, config.temporal.namespace);
  try {
    const handle = await client.schedule.create(
      dailyScheduleOptions(config, { ...(marked ? {} : { searchAttributes: false }), ...day }),
    );
    return { created: true, handle };
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    const handle = client.schedule.getHandle(config.schedule.id);
    await addMissingZoneRules(handle);
    return { created: false, handle };
  }
}

/**
 * A Schedule made before Schedules carried the report zone's offsets gets them (for the zone it already
 * names), so its runs stop falling back to the worker's own time-zone data. Everything else is left as is.
 */
async function addMissingZoneRules(handle: ScheduleHandle): Promise<void> {
  const { action } = await handle.describe();
  const [input] = (action.type === 'startWorkflow' ? (action.args ?? []) : []) as [
    ScheduledDailyReportInput | undefined,
  ];
  if (!input?.timeZone || input.zoneRules) return;
  const rules = scheduleZoneRules(input.timeZone);
  await handle.update((previous) => ({
    ...previous,
    action: { ...previous.action, args: [{ ...input, zoneRules: rules }] },
  }));
}

/** Describes the Schedule, or says in one line how to create it. */
export async function describeSchedule(client: Client, scheduleId: string): Promise<ScheduleDescription> {
  try {
    return await client.schedule.getHandle(scheduleId).describe();
  } catch (error) {
    throw notFound(error, scheduleId);
  }
}

/** Runs `operation` on the Schedule, turning "no such schedule" into a `MissingResourceError`. */
export async function withSchedule<T>(
  client: Client,
  scheduleId: string,
  operation: (handle: ScheduleHandle) => Promise<T>,
): Promise<T> {
  try {
    return await operation(client.schedule.getHandle(scheduleId));
  } catch (error) {
    throw notFound(error, scheduleId);
  }
}

function notFound(error: unknown, scheduleId: string): unknown {
  return error instanceof ScheduleNotFoundError
    ? new MissingResourceError(
        `schedule "${scheduleId}" does not exist; create it with "libreport schedule create"`,
      )
    : error;
}

/** A plain summary of a Schedule for people and `--json`. */
export interface ScheduleSummary {
  readonly scheduleId: string;
  readonly cron: string[];
  readonly timeZone: string;
  readonly workflowType: string;
  readonly taskQueue: string;
  readonly args: unknown[];
  readonly overlap: string;
  readonly catchupWindowMs: number;
  readonly pauseOnFailure: boolean;
  readonly paused: boolean;
  readonly note?: string;
  readonly nextRuns: string[];
  readonly recentRuns: {
    readonly scheduledAt: string;
    readonly takenAt: string;
    readonly workflowId: string;
  }[];
  readonly running: string[];
}

export function summarizeSchedule(description: ScheduleDescription): ScheduleSummary {
  const spec = description.spec;
  return {
    scheduleId: description.scheduleId,
    cron: cronOf(description),
    timeZone: spec.timezone ?? 'UTC',
    workflowType: description.action.workflowType,
    taskQueue: description.action.taskQueue ?? '',
    args: [...(description.action.args ?? [])],
    overlap: description.policies.overlap ?? 'SKIP',
    catchupWindowMs: description.policies.catchupWindow,
    pauseOnFailure: description.policies.pauseOnFailure,
    paused: description.state.paused,
    note: description.state.note || undefined,
    nextRuns: description.info.nextActionTimes.map((t) => t.toISOString()),
    recentRuns: description.info.recentActions.map((a) => ({
      scheduledAt: a.scheduledAt.toISOString(),
      takenAt: a.takenAt.toISOString(),
      workflowId: a.action.workflow.workflowId,
    })),
    running: description.info.runningActions.map((a) => a.workflow.workflowId),
  };
}

/** The cron text from the memo; for a Schedule made elsewhere, the calendars written out cron-style. */
function cronOf(description: ScheduleDescription): string[] {
  const cron = description.memo?.cron;
  if (typeof cron === 'string') return [cron];
  return (description.spec.calendars ?? []).map(calendarText);
}

type Calendar = NonNullable<ScheduleDescription['spec']['calendars']>[number];

function calendarText(c: Calendar): string {
  const field = (ranges: { start: unknown; end: unknown; step: number }[], first: unknown, last: unknown) =>
    ranges.length === 1 && ranges[0]!.start === first && ranges[0]!.end === last && ranges[0]!.step <= 1
      ? '*'
      : ranges
          .map((r) =>
            r.start === r.end ? String(r.start) : `${r.start}-${r.end}${r.step > 1 ? `/${r.step}` : ''}`,
          )
          .join(',');
  return [
    field(c.minute, 0, 59),
    field(c.hour, 0, 23),
    field(c.dayOfMonth, 1, 31),
    field(c.month, 'JANUARY', 'DECEMBER'),
    field(c.dayOfWeek, 'SUNDAY', 'SATURDAY'),
  ].join(' ');
}

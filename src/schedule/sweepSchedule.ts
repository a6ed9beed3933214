import { ScheduleOverlapPolicy, type ScheduleOptions } from '@temporalio/client';
import type { Config } from '../config/config';
import type { SweepUndatedInput } from '../workflows/sweepUndated';
import { workflowScheduleOptions } from './workflowSchedule';

/**
 * SKIP: a sweep reads the whole table; one still running when the next is due already covers what the next
 * would find, so the next is dropped rather than queued behind it.
 */
export const SWEEP_OVERLAP_POLICY = ScheduleOverlapPolicy.SKIP;

/** A weekly sweep missed by an outage of up to a day still runs; a longer one waits for next week's. */
export const SWEEP_CATCHUP_WINDOW = '1 day';

/**
 * The sweep Schedule: `sweepUndated` at SWEEP_SCHEDULE_CRON in the daily Schedule's zone (weekly by default),
 * filing the items the day index cannot see in `dw.quarantine`. `libreport setup` creates and updates it.
 */
export function sweepScheduleOptions(config: Config): ScheduleOptions {
  const args: [SweepUndatedInput] = [
    {
      segments: config.sweepSchedule.segments,
      // The scan heartbeat timeout configured where the Schedule is made; setup updates it when it changes.
      heartbeatSeconds: config.timeouts.scanHeartbeatSeconds,
    },
  ];
  return workflowScheduleOptions(config, {
    scheduleId: config.sweepSchedule.id,
    cron: config.sweepSchedule.cron,
    workflowType: 'sweepUndated',
    args,
    overlap: SWEEP_OVERLAP_POLICY,
    catchupWindow: SWEEP_CATCHUP_WINDOW,
    purpose: 'Quarantine the search items the day index cannot see (no query_date, or no real day)',
  });
}

import type { ScheduleOptions, ScheduleOverlapPolicy } from '@temporalio/client';
import type { Config } from '../config/config';

/** What one of libreport's Schedules says of itself; `workflowScheduleOptions` adds what they all share. */
export interface WorkflowSchedule {
  readonly scheduleId: string;
  readonly cron: string;
  readonly workflowType: string;
  readonly args: unknown[];
  readonly overlap: ScheduleOverlapPolicy;
  readonly catchupWindow: NonNullable<ScheduleOptions['policies']>['catchupWindow'];
  /** Why the Schedule exists, for whoever finds it in the Temporal UI. */
  readonly purpose: string;
}

/**
 * A Schedule that starts `workflowType` on the task queue at `cron` in the daily Schedule's zone, each run
 * with the workflow id `<scheduleId>-run`, never paused by a failed run.
 */
export function workflowScheduleOptions(config: Config, schedule: WorkflowSchedule): ScheduleOptions {
  return {
    scheduleId: schedule.scheduleId,
    spec: { cronExpressions: [schedule.cron], timezone: config.schedule.timeZone },
    action: {
      type: 'startWorkflow',
      workflowType: schedule.workflowType,
      workflowId: `${schedule.scheduleId}-run`,
      taskQueue: config.temporal.taskQueue,
      args: schedule.args,
    },
    policies: { overlap: schedule.overlap, catchupWindow: schedule.catchupWindow, pauseOnFailure: false },
    // The server keeps cron expressions only as calendars; the memo keeps the text people wrote.
    memo: { cron: schedule.cron, purpose: schedule.purpose },
  };
}

import {
  defineSearchAttributeKey,
  SearchAttributeType,
  WorkflowExecutionAlreadyStartedError,
} from '@temporalio/common';
import { ChildWorkflowFailure, executeChild, workflowInfo } from '@temporalio/workflow';
import { addDays, dayInZone } from '../domain/reportDate';
import { dayUnderRules, type ZoneRules } from '../domain/zoneRules';
import { dailyReport, dailyReportId, type DailyReportInput } from './dailyReport';
import { reportMarks } from './searchAttributes';

/** What the daily Schedule passes on every run; fixed when the Schedule is created. */
export interface ScheduledDailyReportInput {
  /** The zone whose calendar decides what "yesterday" is (the report zone). */
  readonly timeZone: string;
  /**
   * That zone's UTC offsets, computed when the Schedule was made, so the day never depends on the time-zone
   * data of the worker that runs or replays the workflow. Absent in Schedules made before it existed.
   */
  readonly zoneRules?: ZoneRules;
  /** Extra options for the day's run (tests use small scan pages). */
  readonly day?: Omit<DailyReportInput, 'date'>;
}

export interface ScheduledDailyReportResult {
  readonly date: string;
  /** `started` ran the day to the end; `already_running` found another run of the day in progress and left it alone. */
  readonly outcome: 'completed' | 'already_running';
}

/** Set by the server on every workflow a Schedule starts (including manual triggers). */
const SCHEDULED_START_TIME = defineSearchAttributeKey(
  'TemporalScheduledStartTime',
  SearchAttributeType.DATETIME,
);

/** The day a run scheduled at `scheduledAt` reports on: the day before, on the report zone's calendar. */
export function reportDayFor(scheduledAt: Date, input: ScheduledDailyReportInput): string {
  // Schedules made before zoneRules existed fall back to Intl (re-create them to drop the fallback).
  const today = input.zoneRules
    ? dayUnderRules(scheduledAt, input.zoneRules)
    : dayInZone(scheduledAt, input.timeZone);
  return addDays(today, -1);
}

/**
 * Started by the daily Schedule. A Schedule's arguments are fixed, so the day is worked out here from
 * the time the run was *scheduled for* (never the clock when it happens to execute: a run caught up
 * after an outage still reports its own day), then run as the child `dailyReport` whose id is the day.
 */
export async function scheduledDailyReport(
  input: ScheduledDailyReportInput,
): Promise<ScheduledDailyReportResult> {
  const info = workflowInfo();
  // Outside a Schedule (started by hand) the run's own recorded start time stands in.
  const scheduledAt = info.typedSearchAttributes.get(SCHEDULED_START_TIME) ?? info.startTime;
  const date = reportDayFor(scheduledAt, input);
  // The Schedule's maker checked the namespace (see `DailyReportInput.searchAttributes`).
  const marks = reportMarks(input.day?.searchAttributes !== false);
  marks.setReportDate(date);
  try {
    await executeChild(dailyReport, {
      workflowId: dailyReportId(date),
      args: [{ ...input.day, date }],
      typedSearchAttributes: marks.childAttributes(date),
    });
    return { date, outcome: 'completed' };
  } catch (error) {
    if (isAlreadyRunning(error)) return { date, outcome: 'already_running' };
    throw error;
  }
}

/** A run of the day is in progress (a backfill, `libreport run`, a manual trigger): never start a second. */
export function isAlreadyRunning(error: unknown): boolean {
  return (
    error instanceof WorkflowExecutionAlreadyStartedError ||
    (error instanceof ChildWorkflowFailure && error.cause instanceof WorkflowExecutionAlreadyStartedError)
  );
}

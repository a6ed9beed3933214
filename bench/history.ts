import type { temporal } from '@temporalio/proto';
import { tsToMs } from '@temporalio/common/lib/time';

type History = temporal.api.history.v1.IHistory;

/** One execution (attempt) of an activity, from its Scheduled/Started/Completed events. */
export interface ActivityRun {
  readonly type: string;
  readonly activityId: string;
  readonly scheduledMs: number;
  readonly startedMs?: number;
  readonly closedMs?: number;
  /** The worker that ran it (`pid@host` by default). */
  readonly identity?: string;
  readonly attempt?: number;
}

/** The stages the benchmark reports, each the activity types that make it up. */
export const STAGES = {
  'extract+explode': ['scanSegment', 'extractRds'],
  load: ['loadDay'],
  mart: ['refreshMart', 'checkDataQuality'],
  render: ['renderReport'],
  send: ['sendReport'],
} as const;

export type StageName = keyof typeof STAGES;

/** A stage's span: from its first activity being scheduled to its last one finishing. Absent stages are undefined. */
export type StageTimings = Record<StageName, number | undefined> & {
  readonly endToEnd: number;
  /** Time in no stage above: run bookkeeping (prepareRun, planScan, dropStaging) and task dispatch. */
  readonly other: number;
};

/** Activity executions in a workflow's history. Only the last attempt of a retried activity is kept per id. */
export function activityRuns(history: History): ActivityRun[] {
  const byScheduledId = new Map<
    string,
    {
      type: string;
      activityId: string;
      scheduledMs: number;
      startedMs?: number;
      closedMs?: number;
      identity?: string;
      attempt?: number;
    }
  >();
  for (const event of history.events ?? []) {
    const at = tsToMs(event.eventTime);
    const id = String(event.eventId);
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled) {
      byScheduledId.set(id, {
        type: scheduled.activityType?.name ?? '?',
        activityId: scheduled.activityId ?? '',
        scheduledMs: at,
      });
      continue;
    }
    const started = event.activityTaskStartedEventAttributes;
    if (started) {
      const run = byScheduledId.get(String(started.scheduledEventId));
      if (run)
        Object.assign(run, {
          startedMs: at,
          identity: started.identity ?? undefined,
          attempt: started.attempt ?? undefined,
        });
      continue;
    }
    const closed =
      event.activityTaskCompletedEventAttributes ??
      event.activityTaskFailedEventAttributes ??
      event.activityTaskTimedOutEventAttributes ??
      event.activityTaskCanceledEventAttributes;
    if (closed) {
      const run = byScheduledId.get(String(closed.scheduledEventId));
      if (run) run.closedMs = at;
    }
  }
  return [...byScheduledId.values()];
}

/** The workflow's own start and close times. */
export function workflowSpan(history: History): { startMs: number; endMs: number } {
  const events = history.events ?? [];
  return { startMs: tsToMs(events[0]?.eventTime), endMs: tsToMs(events[events.length - 1]?.eventTime) };
}

export function stageTimings(history: History): StageTimings {
  const runs = activityRuns(history);
  const { startMs, endMs } = workflowSpan(history);
  const stages = {} as Record<StageName, number | undefined>;
  let inStages = 0;
  for (const [stage, types] of Object.entries(STAGES) as [StageName, readonly string[]][]) {
    const mine = runs.filter((r) => types.includes(r.type));
    if (mine.length === 0 || mine.some((r) => r.closedMs === undefined)) {
      stages[stage] = undefined;
      continue;
    }
    const span = Math.max(...mine.map((r) => r.closedMs!)) - Math.min(...mine.map((r) => r.scheduledMs));
    stages[stage] = span;
    inStages += span;
  }
  const endToEnd = endMs - startMs;
  return { ...stages, endToEnd, other: Math.max(0, endToEnd - inStages) };
}

/** How the scan segments split between workers: worker identity → segments it completed. */
export function segmentsByWorker(history: History): Map<string, string[]> {
  const split = new Map<string, string[]>();
  for (const run of activityRuns(history).filter(
    (r) => r.type === 'scanSegment' && r.closedMs !== undefined,
  )) {
    const who = run.identity ?? 'unknown';
    split.set(who, [...(split.get(who) ?? []), run.activityId]);
  }
  return split;
}

/** Each stage's [first scheduled, last closed] window in epoch ms, for stages that ran. */
export function stageWindows(history: History): Partial<Record<StageName, { fromMs: number; toMs: number }>> {
  const runs = activityRuns(history);
  const windows: Partial<Record<StageName, { fromMs: number; toMs: number }>> = {};
  for (const [stage, types] of Object.entries(STAGES) as [StageName, readonly string[]][]) {
    const mine = runs.filter((r) => types.includes(r.type) && r.closedMs !== undefined);
    if (mine.length)
      windows[stage] = {
        fromMs: Math.min(...mine.map((r) => r.scheduledMs)),
        toMs: Math.max(...mine.map((r) => r.closedMs!)),
      };
  }
  return windows;
}

/** One activity in the run's trace, in ms from the workflow's start. */
export interface TraceEntry {
  readonly type: string;
  readonly activityId: string;
  readonly scheduledAt: number;
  /** Scheduled → started: waiting for a worker slot or a poll (task dispatch). */
  readonly waitMs?: number;
  /** Started → closed: the activity's own work (and the completion's trip back). */
  readonly runMs?: number;
}

/**
 * Every activity of the run in the order scheduled, with where its time went: the per-stage trace that
 * shows what lies outside the segment scans (prepare, plan, RDS, load, dispatch between stages).
 */
export function activityTrace(history: History): TraceEntry[] {
  const { startMs } = workflowSpan(history);
  return activityRuns(history)
    .sort((a, b) => a.scheduledMs - b.scheduledMs)
    .map((run) => ({
      type: run.type,
      activityId: run.activityId,
      scheduledAt: run.scheduledMs - startMs,
      waitMs: run.startedMs !== undefined ? run.startedMs - run.scheduledMs : undefined,
      runMs:
        run.startedMs !== undefined && run.closedMs !== undefined ? run.closedMs - run.startedMs : undefined,
    }));
}

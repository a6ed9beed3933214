import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { log, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';

/**
 * Custom search attributes every libreport run carries, so staff can filter the Temporal Web UI
 * by day (`ReportDate = "2024-05-16"`), by the stage a run is in and by how it ended.
 *
 * They must be registered on the namespace before any workflow sets them (an unknown attribute
 * fails the workflow task): the local dev server gets `--search-attribute` flags
 * (`SEARCH_ATTRIBUTE_FLAGS`); a real cluster needs `temporal operator search-attribute create`.
 */
export const REPORT_DATE = defineSearchAttributeKey('ReportDate', SearchAttributeType.KEYWORD);
export const REPORT_STAGE = defineSearchAttributeKey('ReportStage', SearchAttributeType.KEYWORD);
export const REPORT_OUTCOME = defineSearchAttributeKey('ReportOutcome', SearchAttributeType.KEYWORD);

/** Every key above, for registration (the test environment's `searchAttributes` option). */
export const REPORT_SEARCH_ATTRIBUTES = Object.freeze([REPORT_DATE, REPORT_STAGE, REPORT_OUTCOME]);

/** `--search-attribute Name=Keyword` pairs for `temporal server start-dev` and `operator search-attribute create`. */
export const SEARCH_ATTRIBUTE_FLAGS: readonly string[] = Object.freeze(
  REPORT_SEARCH_ATTRIBUTES.flatMap((key) => ['--search-attribute', `${key.name}=Keyword`]),
);

/** The stages a daily run passes through; they match the activity names seen in the Web UI. */
export type ReportStage = 'extract' | 'load' | 'mart' | 'render' | 'send' | 'done';

/** How a run ended, as the Web UI filter shows it. */
export type ReportOutcome =
  'loaded' | 'sent' | 'skipped_email' | 'failed' | 'reconciliation_failed' | 'cancelled' | 'already_running';

/** Marks the day a run reports on. Call from inside a workflow. */
export function setReportDate(date: string): void {
  upsertSearchAttributes([{ key: REPORT_DATE, value: date }]);
}

/** Marks the stage a run has reached. Call from inside a workflow, before each stage starts. */
export function setStage(stage: ReportStage): void {
  upsertSearchAttributes([{ key: REPORT_STAGE, value: stage }]);
}

/** Marks how a run ended. Call from inside a workflow, once, as it finishes. */
export function setOutcome(outcome: ReportOutcome): void {
  upsertSearchAttributes([{ key: REPORT_OUTCOME, value: outcome }]);
}

/** Search attributes to start a day's run with, so it is findable by date from its first event. */
export function reportDateAttributes(date: string) {
  return [{ key: REPORT_DATE, value: date }];
}

/** Sets a run's search attributes, or nothing at all when the namespace lacks them (see `reportMarks`). */
export interface ReportMarks {
  setReportDate(date: string): void;
  setStage(stage: ReportStage): void;
  setOutcome(outcome: ReportOutcome): void;
  /** The attributes to start a child run with: none when they are off. */
  childAttributes(date: string): ReturnType<typeof reportDateAttributes>;
}

/** How to register the attributes, for logs and errors. */
export const SEARCH_ATTRIBUTES_FIX =
  'run "libreport setup", or: temporal operator search-attribute create --namespace <ns> ' +
  REPORT_SEARCH_ATTRIBUTES.map((key) => `--name ${key.name} --type Keyword`).join(' ');

/**
 * The marks of one run. `enabled` comes from whoever started it (they checked the namespace): upserting an
 * attribute the namespace does not know fails every workflow task, so a run on a namespace without them goes
 * on unmarked (no Web UI filter by day) and says once in the worker log how to fix the namespace.
 */
export function reportMarks(enabled: boolean): ReportMarks {
  if (enabled) return { setReportDate, setStage, setOutcome, childAttributes: reportDateAttributes };
  // The workflow logger is silent on replay: this line appears once per run.
  log.warn(
    `the namespace lacks libreport's search attributes (${REPORT_SEARCH_ATTRIBUTES.map((k) => k.name).join(', ')}); ` +
      `this run goes on without them; to filter runs by day in the Web UI, ${SEARCH_ATTRIBUTES_FIX.replace('<ns>', workflowInfo().namespace)}`,
  );
  return { setReportDate() {}, setStage() {}, setOutcome() {}, childAttributes: () => [] };
}

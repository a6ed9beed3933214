import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { upsertSearchAttributes } from '@temporalio/workflow';

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

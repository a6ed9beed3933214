import type { StatementCounts } from '../adapters/warehouse/statementCounts';
import type { LoadDayInput, LoadSummary } from './loadSummary';
import type { SegmentCounts } from './segmentCounts';

/*
 * Reconciliation: what the scan and the RDS copy saw against what landed, as the day's summary. Each mismatch
 * is named with how it was counted; any mismatch fails the load.
 */

export function summarize(
  input: LoadDayInput,
  seen: SegmentCounts,
  loaded: Record<string, number>,
  byReason: Record<string, number>,
  warehouse: StatementCounts,
): LoadSummary {
  const exploded = loaded.keywords! + loaded.libraries! + loaded.isbns!;
  const mismatches = [
    check(
      'items',
      seen.itemsSeen,
      loaded.queries! + loaded.items_quarantined!,
      'search_query rows + quarantined items',
    ),
    check(
      'array elements',
      seen.elementsSeen,
      exploded + loaded.elements_quarantined!,
      'exploded rows + quarantined elements',
    ),
    check('user choices', input.rds.choices, loaded.choices!, 'dw.user_choice rows'),
    check(
      'distinct query ids',
      loaded.queries!,
      loaded.distinct_queries!,
      'search_query rows (a query loaded twice)',
    ),
  ].filter((m): m is string => m !== null);
  return {
    date: input.date,
    runId: input.runId,
    outcome: mismatches.length ? 'reconciliation_failed' : 'loaded',
    source: {
      items: seen.itemsSeen,
      elements: seen.elementsSeen,
      choices: input.rds.choices,
      books: input.rds.books,
    },
    tables: {
      search_query: loaded.queries!,
      search_keyword: loaded.keywords!,
      search_library: loaded.libraries!,
      search_isbn13: loaded.isbns!,
      user_choice: loaded.choices!,
      book_info_changed: input.rds.books,
    },
    quarantined: { items: loaded.items_quarantined!, elements: loaded.elements_quarantined!, byReason },
    segments: {
      count: input.segments.length,
      pages: input.segments.reduce((n, s) => n + s.pages, 0),
      resumed: input.segments.filter((s) => s.resumedAfterPage > 0).length,
      throttled: input.segments.reduce((n, s) => n + s.throttled, 0),
    },
    warehouse,
    mismatches,
    durationMs: Date.now() - Date.parse(input.startedAt),
  };
}

function check(what: string, seen: number, landed: number, how: string): string | null {
  return seen === landed ? null : `${what}: source had ${seen}, warehouse has ${landed} (${how})`;
}

export function auditParams(summary: LoadSummary, startedAt: string): (string | null)[] {
  return [
    summary.runId,
    summary.date,
    startedAt,
    new Date().toISOString(),
    summary.outcome,
    JSON.stringify(summary),
  ];
}

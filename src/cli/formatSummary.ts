import type { DailyReportResult } from '../workflows/dailyReport';

const n = (value: number) => value.toLocaleString('en-US');

/** The run's summary as a few aligned lines for a person; `--json` prints the object instead. */
export function formatDailySummary(result: DailyReportResult): string {
  const { load } = result;
  const lines = [
    `day ${result.date}: ${load.outcome}${load.source.items === 0 ? ' (no search items for this day: an empty day was loaded)' : ''}`,
    `  source        ${n(load.source.items)} items, ${n(load.source.elements)} array elements, ${n(load.source.choices)} choices`,
    `  search_query  ${n(load.tables.search_query)}`,
    `  keywords      ${n(load.tables.search_keyword)}   libraries ${n(load.tables.search_library)}   isbn13 ${n(load.tables.search_isbn13)}`,
    `  user_choice   ${n(load.tables.user_choice)}   book_info changed ${n(load.tables.book_info_changed)}`,
    `  quarantined   ${n(load.quarantined.items)} items, ${n(load.quarantined.elements)} elements` +
      (Object.keys(load.quarantined.byReason).length
        ? ` (${Object.entries(load.quarantined.byReason)
            .map(([reason, count]) => `${reason} ${count}`)
            .join(', ')})`
        : ''),
    `  segments      ${load.segments.count} (${n(load.segments.pages)} pages, ${load.segments.resumed} resumed, ${load.segments.throttled} throttled)`,
    `  warehouse     ${n(load.warehouse.statements)} statements, ${n(load.warehouse.copies)} COPY calls to load the day`,
    `  duration      ${(load.durationMs / 1000).toFixed(1)} s to load`,
    `  report        ${result.report.location}`,
  ];
  const extract = result.extract;
  if (extract)
    lines.splice(
      lines.length - 2,
      0,
      `  read path     ${extract.path === 'index' ? 'day index (Query by key range)' : 'table scan'}: ${n(extract.itemsRead)} items read, ${n(extract.itemsSeen)} returned, ${n(extract.itemsLoaded)} loaded`,
    );
  if (!result.quality.ok) lines.push(`  data quality  ${result.quality.kind}: ${result.quality.reason}`);
  const d = result.delivery;
  lines.push(
    d
      ? `  email         ${d.kind}: ${d.sent} sent now, ${d.alreadySent} already sent, ${d.rejected} rejected, ${d.unknown} unknown, to ${d.recipients} recipients`
      : '  email         skipped',
  );
  return lines.join('\n');
}

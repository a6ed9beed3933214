import type { ReportStore } from '../adapters/reportStore/port';
import { isReportDate } from '../domain/reportDate';
import { escapeHtml as e } from './escape';
import { messagesFor, numberFormats } from './i18n';
import type { Headline, ReportLocale } from './types';

/** One archived day as the index lists it: the day and its three seed headline numbers. */
export interface ArchiveEntry {
  readonly date: string;
  readonly requests: number | null;
  readonly failureRatePct: number | null;
  readonly booksPerChoosingSearch: number | null;
}

/** The index's data, kept beside it so each archived day adds itself without listing the store. */
export const INDEX_MANIFEST_KEY = 'index.json';
export const INDEX_PAGE_KEY = 'index.html';

export function archiveEntry(date: string, headline: Headline): ArchiveEntry {
  return {
    date,
    requests: headline.requests.value,
    failureRatePct: headline.failureRatePct.value,
    booksPerChoosingSearch: headline.booksPerChoosingSearch.value,
  };
}

/** The manifest's entries; anything unreadable in it is dropped (the next archived days add theirs again). */
export function parseManifest(body: Buffer | null): ArchiveEntry[] {
  if (body === null) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  return parsed.flatMap((row: unknown) => {
    const r = row as Record<string, unknown> | null;
    if (r === null || typeof r !== 'object' || typeof r.date !== 'string' || !isReportDate(r.date)) return [];
    return [
      {
        date: r.date,
        requests: num(r.requests),
        failureRatePct: num(r.failureRatePct),
        booksPerChoosingSearch: num(r.booksPerChoosingSearch),
      },
    ];
  });
}

/** Adds or replaces a day; newest first. */
export function mergeEntry(entries: readonly ArchiveEntry[], entry: ArchiveEntry): ArchiveEntry[] {
  return [...entries.filter((e) => e.date !== entry.date), entry].sort((a, b) =>
    a.date < b.date ? 1 : a.date > b.date ? -1 : 0,
  );
}

/** The archive's index page: every archived day, newest first, linking its report. Every value escaped. */
export function renderArchiveIndex(entries: readonly ArchiveEntry[], locale: ReportLocale): string {
  const m = messagesFor(locale);
  const f = numberFormats(locale);
  const title = m.archive.title;
  const rows = entries
    .map(
      (entry) =>
        `<tr><td><a href="${e(`${entry.date}.html`)}">${e(entry.date)}</a></td>` +
        `<td class="n">${e(f.count(entry.requests))}</td>` +
        `<td class="n">${e(f.percent(entry.failureRatePct))}</td>` +
        `<td class="n">${e(f.decimal(entry.booksPerChoosingSearch))}</td></tr>`,
    )
    .join('\n');
  return (
    `<!doctype html>
<html lang="${e(locale)}"><head><meta charset="utf-8"><title>${e(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:sans-serif;margin:24px;color:#222}table{border-collapse:collapse}
th,td{padding:4px 10px;border-bottom:1px solid #e3e6ea;text-align:left}.n{text-align:right}</style>
</head><body><h1>${e(title)}</h1>
<table><tr><th>${e(m.archive.day)}</th><th class="n">${e(m.headline.requests)}</th>` +
    `<th class="n">${e(m.headline.failureRate)}</th><th class="n">${e(m.headline.booksPerChoosingSearch)}</th></tr>
${rows}
</table></body></html>
`
  );
}

/**
 * Adds a just-archived day to the index and rewrites the index page, in the report store (a folder or
 * S3). Read-modify-write: two days archived at the very same moment can each miss the other, until the
 * next archived day rewrites the index with both.
 */
export async function updateArchiveIndex(
  store: ReportStore,
  entry: ArchiveEntry,
  locale: ReportLocale,
): Promise<string> {
  const entries = mergeEntry(parseManifest(await store.get(INDEX_MANIFEST_KEY)), entry);
  await store.put(INDEX_MANIFEST_KEY, JSON.stringify(entries, null, 1), 'application/json');
  return store.put(INDEX_PAGE_KEY, renderArchiveIndex(entries, locale), 'text/html; charset=utf-8');
}

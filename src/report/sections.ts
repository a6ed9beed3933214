import { messagesFor, numberFormats } from './i18n';
import { truncateLabel } from './labels';
import { movedSection } from './movedSection';
import type { ReportSection } from './sectionTypes';
import type { RankedCount, ReportData } from './types';

/** How many rows each chart shows (the seed's top 10). */
export const CHART_TOP_N = 10;

export type { ReportSection, SectionChart, SectionColumn, SectionKey } from './sectionTypes';

/** The sections a report shows, in order: what moved (when anything did), the seed's four, then the optional hourly one. */
export function reportSections(data: ReportData): readonly ReportSection[] {
  const m = messagesFor(data.locale);
  const f = numberFormats(data.locale);
  const rank = { header: m.columns.rank, numeric: true, width: '12%' };
  const count = { header: m.columns.count, numeric: true, width: '18%' };

  const ranked = (
    key: 'keywords' | 'libraries' | 'failedKeywords',
    title: string,
    labelHeader: string,
    items: readonly RankedCount[],
  ): ReportSection => {
    const rows = items.map((item, i) => [f.count(i + 1), item.label, f.count(item.count)]);
    const top = items.slice(0, CHART_TOP_N);
    return {
      key,
      title,
      caption: m.captions[key],
      columns: [rank, { header: labelHeader, numeric: false }, count],
      rows,
      textRows: rows.slice(0, CHART_TOP_N),
      chart:
        top.length === 0
          ? null
          : {
              labels: top.map((t) => truncateLabel(t.label)),
              values: top.map((t) => t.count),
              orientation: 'horizontal',
            },
    };
  };

  const bookTitle = (title: string | null): string =>
    title === null || title.trim() === '' ? m.unknownTitle : title;
  const bookRows = data.books.map((b, i) => [f.count(i + 1), bookTitle(b.title), b.isbn13, f.count(b.count)]);
  const topBooks = data.books.slice(0, CHART_TOP_N);
  const books: ReportSection = {
    key: 'books',
    title: m.sections.books,
    caption: m.captions.books,
    columns: [
      rank,
      { header: m.columns.title, numeric: false },
      { header: m.columns.isbn13, numeric: false, width: '34%' },
      count,
    ],
    rows: bookRows,
    textRows: bookRows.slice(0, CHART_TOP_N),
    chart:
      topBooks.length === 0
        ? null
        : {
            // A book missing from the catalogue is still told apart from the others by its ISBN.
            labels: topBooks.map((b) =>
              truncateLabel(b.title === null || b.title.trim() === '' ? b.isbn13 : b.title),
            ),
            values: topBooks.map((b) => b.count),
            orientation: 'horizontal',
          },
  };

  const moved = movedSection(data);
  const sections: ReportSection[] = [
    ...(moved === null ? [] : [moved]),
    ranked('keywords', m.sections.keywords, m.columns.keyword, data.keywords),
    books,
    ranked('libraries', m.sections.libraries, m.columns.library, data.libraries),
    ranked('failedKeywords', m.sections.failedKeywords, m.columns.keyword, data.failedKeywords),
  ];

  if (data.hourly !== undefined && data.hourly.length > 0) {
    const byHour = new Map(data.hourly.map((h) => [h.hour, h.count]));
    const hours = Array.from({ length: 24 }, (_, hour) => ({ hour, count: byHour.get(hour) ?? 0 }));
    const rows = hours.map((h) => [m.hourLabel(h.hour), f.count(h.count)]);
    sections.push({
      key: 'hourly',
      title: m.sections.hourly,
      columns: [
        { header: m.columns.hour, numeric: false },
        { header: m.columns.requests, numeric: true },
      ],
      rows,
      textRows: rows,
      chart: {
        labels: hours.map((h) => String(h.hour)),
        values: hours.map((h) => h.count),
        orientation: 'vertical',
      },
    });
  }
  return sections;
}

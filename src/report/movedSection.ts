import { messagesFor, numberFormats } from './i18n';
import type { ReportSection } from './sectionTypes';
import type { Mover, ReportData } from './types';

const KINDS = ['keyword', 'book', 'library'] as const;
const BASES = ['week', 'average'] as const;
const MINUS = '−';

/**
 * "What moved", under the headline: one row per kind and basis that has movers, the risers in one cell and
 * the fallers in the other, each as "label count (change)", new entries tagged. Null when the mart gave no
 * movers at all (a first day, a quiet one, or a mart refreshed before the section existed). Plain text:
 * every renderer escapes it.
 */
export function movedSection(data: ReportData): ReportSection | null {
  if (data.movers === undefined || data.movers.items.length === 0) return null;
  const m = messagesFor(data.locale);
  const f = numberFormats(data.locale);
  const oneDecimal = new Intl.NumberFormat(data.locale === 'ko' ? 'ko-KR' : 'en-US', {
    maximumFractionDigits: 1,
  });
  const entry = (mover: Mover): string => {
    // A change against a mean can have decimals; one is enough to read.
    const size = oneDecimal.format(Math.abs(mover.change));
    const change = mover.change > 0 ? `+${size}` : `${MINUS}${size}`;
    const tag = mover.newInTop ? `, ${m.moved.newTag}` : '';
    return `${mover.label} ${f.count(mover.todayCount)} (${change}${tag})`;
  };
  const rows: string[][] = [];
  for (const kind of KINDS) {
    for (const basis of BASES) {
      const movers = data.movers.items.filter((i) => i.kind === kind && i.basis === basis);
      if (movers.length === 0) continue;
      const cell = (direction: Mover['direction']): string => {
        const listed = movers.filter((i) => i.direction === direction).map(entry);
        return listed.length === 0 ? '–' : listed.join(' · ');
      };
      rows.push([`${m.moved.kinds[kind]} · ${m.moved.bases[basis]}`, cell('rose'), cell('fell')]);
    }
  }
  return {
    key: 'moved',
    title: m.moved.title,
    caption: m.moved.caption(f.count(data.movers.minCount)),
    columns: [
      { header: m.moved.columns.what, numeric: false, width: '22%' },
      { header: m.moved.columns.rose, numeric: false, width: '39%' },
      { header: m.moved.columns.fell, numeric: false, width: '39%' },
    ],
    rows,
    textRows: rows,
    chart: null,
    layout: 'wide',
  };
}

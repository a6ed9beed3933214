import { messagesFor, numberFormats } from './i18n';
import type { HeadlineMetric, ReportData } from './types';

/** Which way a change went, and whether that is good news for the service. */
export type ChangeTone = 'good' | 'bad' | 'neutral';

/** One comparison under a headline number, ready to show. */
export interface ShownChange {
  readonly label: string;
  readonly text: string;
  readonly tone: ChangeTone;
}

/** One headline card, ready to show in HTML or plain text. */
export interface ShownHeadline {
  readonly label: string;
  readonly value: string;
  readonly changes: readonly [ShownChange, ShownChange];
}

function toneOf(
  current: number | null | undefined,
  previous: number | null | undefined,
  higherIsBetter: boolean,
): ChangeTone {
  if (typeof current !== 'number' || typeof previous !== 'number' || current === previous) return 'neutral';
  return current > previous === higherIsBetter ? 'good' : 'bad';
}

/** The headline numbers formatted for the data's locale: the seed's three in its order, then the choice share. */
export function showHeadline(data: ReportData): readonly ShownHeadline[] {
  const m = messagesFor(data.locale);
  const f = numberFormats(data.locale);
  const card = (
    label: string,
    metric: HeadlineMetric,
    format: (v: number | null | undefined) => string,
    change: (c: number | null | undefined, p: number | null | undefined) => string,
    higherIsBetter: boolean,
  ): ShownHeadline => ({
    label,
    value: format(metric.value),
    changes: [
      {
        label: m.headline.vsPreviousDay,
        text: change(metric.value, metric.previousDay),
        tone: toneOf(metric.value, metric.previousDay, higherIsBetter),
      },
      {
        label: m.headline.vsPreviousWeek,
        text: change(metric.value, metric.previousWeek),
        tone: toneOf(metric.value, metric.previousWeek, higherIsBetter),
      },
    ],
  });
  const h = data.headline;
  const withUnit =
    (format: (v: number | null | undefined) => string, unit: string) =>
    (v: number | null | undefined): string =>
      v === null || v === undefined || !Number.isFinite(v) ? format(v) : `${format(v)}${unit}`;
  return [
    card(m.headline.requests, h.requests, withUnit(f.count, m.headline.requestUnit), f.relativeChange, true),
    // Percentages change in percentage points, not in percent of themselves.
    card(m.headline.failureRate, h.failureRatePct, f.percent, f.pointChange, false),
    card(
      m.headline.booksPerChoosingSearch,
      h.booksPerChoosingSearch,
      withUnit(f.decimal, m.headline.bookUnit),
      f.relativeChange,
      true,
    ),
    card(m.headline.choosingShare, h.choosingSharePct, f.percent, f.pointChange, true),
  ];
}

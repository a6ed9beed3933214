import type { BarOrientation } from './charts';

/** The shape of a report section, shared by the section builders and the renderers. */

/** Stable names of the report's sections; also used in image file names and Content-IDs. */
export type SectionKey = 'moved' | 'keywords' | 'books' | 'libraries' | 'failedKeywords' | 'hourly';

/** A table column: its header and whether its cells are numbers (right-aligned). */
export interface SectionColumn {
  readonly header: string;
  readonly numeric: boolean;
  /** Share of the table width, e.g. '12%'; the label column takes what is left. */
  readonly width?: string;
}

/** A chart's bars, labels already cut to length. */
export interface SectionChart {
  readonly labels: readonly string[];
  readonly values: readonly number[];
  readonly orientation: BarOrientation;
}

/**
 * One section of the report, independent of output format. Cells are plain, unescaped text: each
 * renderer escapes for its own format.
 */
export interface ReportSection {
  readonly key: SectionKey;
  readonly title: string;
  /** What the section counts, in one line; absent where the title says it all. */
  readonly caption?: string;
  readonly columns: readonly SectionColumn[];
  readonly rows: readonly (readonly string[])[];
  /** Rows the plain-text part lists (the chart's top 10). */
  readonly textRows: readonly (readonly string[])[];
  /** Null when there is nothing to draw. */
  readonly chart: SectionChart | null;
  /** `wide`: a table across the whole width, with no chart column ("what moved"). */
  readonly layout?: 'wide';
}

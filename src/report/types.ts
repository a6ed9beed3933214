/** The languages the report is written in. Korean is the staff's language and the default. */
export type ReportLocale = 'ko' | 'en';

/**
 * One headline number with what it is compared against. `null` (or absent) means "no data for that
 * day" and is shown as "–"; it is never treated as zero.
 */
export interface HeadlineMetric {
  readonly value: number | null;
  /** The same metric for the day before. */
  readonly previousDay?: number | null;
  /** The same metric for the same weekday one week before. */
  readonly previousWeek?: number | null;
}

/** The numbers at the top of the report: the seed's three, then the share of searches that led to a choice. */
export interface Headline {
  /** Requests that day: succeeded plus failed searches (사용자 요청 건수). */
  readonly requests: HeadlineMetric;
  /** Failed searches as a percentage (0–100) of all requests (도서 검색 실패율). */
  readonly failureRatePct: HeadlineMetric;
  /**
   * The seed's 평균 도서 선택 권수: books chosen per search, averaged over the day's searches from which
   * at least one book was chosen (so at least 1). Choices belong to their search's day.
   */
  readonly booksPerChoosingSearch: HeadlineMetric;
  /** Share (0–100) of the day's successful searches from which at least one book was chosen. */
  readonly choosingSharePct: HeadlineMetric;
}

/** A row of a ranked list: a label typed or chosen by users, and how often it occurred. */
export interface RankedCount {
  readonly label: string;
  readonly count: number;
}

/** A book in the "most returned books" list. `title` is null when `book_info` has no entry for it. */
export interface RankedBook {
  readonly title: string | null;
  readonly isbn13: string;
  readonly count: number;
}

/** Requests received in one hour of the report's time zone (0–23). */
export interface HourlyCount {
  readonly hour: number;
  readonly count: number;
}

/** How many distinct queries each user made that day, summarised. */
export interface QueriesPerUserSummary {
  readonly users: number;
  readonly mean: number;
  readonly max: number;
}

/** One entry of "what moved": a keyword, book or library whose count changed most against a basis. */
export interface Mover {
  readonly kind: 'keyword' | 'book' | 'library';
  /** `week`: the same weekday a week before; `average`: the mean of the seven days before that had data. */
  readonly basis: 'week' | 'average';
  readonly direction: 'rose' | 'fell';
  /** The keyword, the library, or the book's title (its ISBN when the catalogue has no title). */
  readonly label: string;
  readonly todayCount: number;
  /** The count it is compared with (a mean may have decimals). */
  readonly basisCount: number;
  /** todayCount − basisCount. */
  readonly change: number;
  /** In today's top 50 and in no top 50 of the seven days before. */
  readonly newInTop: boolean;
}

/** "What moved": the first movers of each kind, basis and direction, and the floor under which counts are ignored. */
export interface Movers {
  readonly minCount: number;
  readonly items: readonly Mover[];
}

/**
 * Everything one day's report shows. Lists arrive already ranked (highest count first, ties broken
 * by the mart); the charts show the first ten rows and the tables show every row passed.
 */
export interface ReportData {
  /** The reported day, `YYYY-MM-DD`. */
  readonly date: string;
  readonly locale: ReportLocale;
  readonly headline: Headline;
  /** The section under the headline; absent when the mart was refreshed before it existed. */
  readonly movers?: Movers;
  readonly keywords: readonly RankedCount[];
  readonly books: readonly RankedBook[];
  readonly libraries: readonly RankedCount[];
  /** Keywords of failed searches that never succeeded that day. */
  readonly failedKeywords: readonly RankedCount[];
  /** Optional extra section: requests per hour. */
  readonly hourly?: readonly HourlyCount[];
  /** Optional extra section: distinct queries per user. */
  readonly queriesPerUser?: QueriesPerUserSummary;
}

/**
 * How chart images reach the reader:
 * - `cid`: PNG attachments referenced as `cid:` (the emailed report);
 * - `inline-data-uri`: PNGs embedded as `data:` URIs (the archived file that opens offline);
 * - `quickchart-url`: `<img>` URLs on a configured QuickChart server (no attachments).
 */
export type ImageMode = 'cid' | 'inline-data-uri' | 'quickchart-url';

export interface RenderOptions {
  readonly imageMode: ImageMode;
  /** Base URL of a QuickChart server, e.g. `http://127.0.0.1:3400`. Required for `quickchart-url`. */
  readonly quickChartUrl?: string;
  /**
   * Also return `archiveHtml`: the very same HTML with every chart as a `data:` URI and the font subset its text
   * needs embedded, so the archived file is what staff received and still opens offline anywhere.
   */
  readonly withArchive?: boolean;
}

/** A PNG to attach inline; the HTML refers to it as `cid:<cid>`. */
export interface InlineImage {
  readonly cid: string;
  readonly filename: string;
  readonly png: Buffer;
}

/** A rendered report: everything needed to archive it or to build the email. */
export interface RenderedReport {
  readonly subject: string;
  readonly html: string;
  readonly text: string;
  /** Attachments the HTML refers to; empty unless `imageMode` is `cid`. */
  readonly images: readonly InlineImage[];
  /** With `withArchive`: `html` made self-contained for the archive (see `RenderOptions.withArchive`). */
  readonly archiveHtml?: string;
}

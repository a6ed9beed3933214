import type { ReportLocale } from './types';

/** Every fixed piece of text the report, its charts and the notice email show. */
export interface ReportMessages {
  readonly title: (date: string) => string;
  readonly headline: {
    readonly requests: string;
    readonly failureRate: string;
    readonly booksPerChoosingSearch: string;
    readonly choosingShare: string;
    /** Appended to a request count: 1,234건. */
    readonly requestUnit: string;
    /** Appended to a number of books: 1.25권. */
    readonly bookUnit: string;
    readonly vsPreviousDay: string;
    readonly vsPreviousWeek: string;
  };
  readonly sections: {
    readonly keywords: string;
    readonly books: string;
    readonly libraries: string;
    readonly failedKeywords: string;
    readonly hourly: string;
    readonly queriesPerUser: string;
  };
  /** What each ranked section counts, shown under its title. */
  readonly captions: {
    readonly keywords: string;
    readonly books: string;
    readonly libraries: string;
    readonly failedKeywords: string;
  };
  readonly columns: {
    readonly rank: string;
    readonly keyword: string;
    readonly title: string;
    readonly isbn13: string;
    readonly library: string;
    readonly count: string;
    readonly hour: string;
    readonly requests: string;
  };
  /** "What moved", the section under the headline. */
  readonly moved: {
    readonly title: string;
    /** What the section compares and leaves out, given the floor. */
    readonly caption: (floor: string) => string;
    readonly columns: { readonly what: string; readonly rose: string; readonly fell: string };
    readonly kinds: { readonly keyword: string; readonly book: string; readonly library: string };
    readonly bases: { readonly week: string; readonly average: string };
    /** Marks an entry new in the top 50. */
    readonly newTag: string;
  };
  /** The archive's index page. */
  readonly archive: { readonly title: string; readonly day: string };
  readonly topN: (n: number) => string;
  readonly noData: string;
  readonly unknownTitle: string;
  readonly queriesPerUser: (users: string, mean: string, max: string) => string;
  readonly hourLabel: (hour: number) => string;
  readonly notice: {
    readonly delayedTag: string;
    readonly anomalyTag: string;
    readonly delayedLead: (date: string) => string;
    readonly anomalyLead: (date: string) => string;
    readonly reasonLabel: string;
  };
}

const ko: ReportMessages = {
  title: (date) => `일일 앱 사용 결과 (${date})`,
  headline: {
    requests: '사용자 요청 건수',
    failureRate: '도서 검색 실패율',
    booksPerChoosingSearch: '평균 도서 선택 권수',
    choosingShare: '도서 선택이 있었던 검색 비율',
    requestUnit: '건',
    bookUnit: '권',
    vsPreviousDay: '전일 대비',
    vsPreviousWeek: '전주 같은 요일 대비',
  },
  sections: {
    keywords: '유저 검색 키워드',
    books: '도서 검색 순위',
    libraries: '도서관 검색 순위',
    failedKeywords: '검색 실패 키워드',
    hourly: '시간대별 요청 수',
    queriesPerUser: '사용자별 검색 수',
  },
  captions: {
    keywords: '검색에 성공한 요청의 키워드, 나온 횟수 순',
    books: '검색 결과로 반환된 도서, 반환된 횟수 순',
    libraries: '요청에서 선택된 도서관, 선택된 횟수 순',
    failedKeywords: '실패한 요청의 키워드 중 그날 한 번도 검색에 성공하지 못한 키워드, 나온 횟수 순',
  },
  columns: {
    rank: '순위',
    keyword: '키워드',
    title: '도서명',
    isbn13: 'ISBN',
    library: '도서관',
    count: '횟수',
    hour: '시간',
    requests: '요청 수',
  },
  moved: {
    title: '주요 변동',
    caption: (floor) =>
      `전주 같은 요일, 그리고 지난 7일 평균과 비교해 가장 많이 늘거나 줄어든 키워드·도서·도서관 (괄호 안은 변화량). ` +
      `오늘과 비교 값이 모두 ${floor}회 미만이면 제외합니다. 신규: 지난 7일 동안 상위 50위 밖이었다가 오늘 상위 50위에 든 항목`,
    columns: { what: '구분', rose: '늘어남', fell: '줄어듦' },
    kinds: { keyword: '키워드', book: '도서', library: '도서관' },
    bases: { week: '전주 같은 요일 대비', average: '7일 평균 대비' },
    newTag: '신규',
  },
  archive: { title: '일일 앱 사용 결과 보관함', day: '날짜' },
  topN: (n) => `상위 ${n}개`,
  noData: '데이터 없음',
  unknownTitle: '(제목 없음)',
  queriesPerUser: (users, mean, max) => `사용자 ${users}명, 1인당 평균 ${mean}회, 최대 ${max}회`,
  hourLabel: (hour) => `${hour}시`,
  notice: {
    delayedTag: '[지연]',
    anomalyTag: '[이상 감지]',
    delayedLead: (date) =>
      `${date} 일일 보고서가 지연되고 있습니다. 데이터가 준비되면 보고서를 보내 드립니다.`,
    anomalyLead: (date) => `${date} 데이터에서 이상이 감지되어 보고서 발송을 보류했습니다.`,
    reasonLabel: '사유',
  },
};

const en: ReportMessages = {
  title: (date) => `Daily app usage (${date})`,
  headline: {
    requests: 'User requests',
    failureRate: 'Book search failure rate',
    booksPerChoosingSearch: 'Average books chosen',
    choosingShare: 'Searches that led to a choice',
    requestUnit: '',
    bookUnit: ' books',
    vsPreviousDay: 'vs previous day',
    vsPreviousWeek: 'vs same weekday last week',
  },
  sections: {
    keywords: 'User search keywords',
    books: 'Book search ranking',
    libraries: 'Library search ranking',
    failedKeywords: 'Failed search keywords',
    hourly: 'Requests per hour',
    queriesPerUser: 'Queries per user',
  },
  captions: {
    keywords: 'Keywords of successful searches, by how often they were typed',
    books: 'Books returned in search results, by how often they were returned',
    libraries: 'Libraries selected in requests, by how often they were selected',
    failedKeywords:
      'Keywords of failed searches that no search found a book for that day, by how often they were typed',
  },
  columns: {
    rank: '#',
    keyword: 'Keyword',
    title: 'Title',
    isbn13: 'ISBN',
    library: 'Library',
    count: 'Count',
    hour: 'Hour',
    requests: 'Requests',
  },
  moved: {
    title: 'What moved',
    caption: (floor) =>
      'Keywords, books and libraries whose counts rose or fell most against the same weekday last week and ' +
      `against the average of the previous 7 days (the change in brackets). Counts under ${floor} on both sides ` +
      'are left out. New: in today’s top 50 and in no top 50 of the previous 7 days',
    columns: { what: 'Compared', rose: 'Rose', fell: 'Fell' },
    kinds: { keyword: 'Keywords', book: 'Books', library: 'Libraries' },
    bases: { week: 'vs same weekday last week', average: 'vs 7-day average' },
    newTag: 'new',
  },
  archive: { title: 'Daily app usage archive', day: 'Day' },
  topN: (n) => `top ${n}`,
  noData: 'No data',
  unknownTitle: '(untitled)',
  queriesPerUser: (users, mean, max) => `${users} users, ${mean} queries per user on average, at most ${max}`,
  hourLabel: (hour) => `${String(hour).padStart(2, '0')}:00`,
  notice: {
    delayedTag: '[Delayed]',
    anomalyTag: '[Anomaly]',
    delayedLead: (date) => `The daily report for ${date} is delayed. It will be sent once the data is ready.`,
    anomalyLead: (date) => `An anomaly was detected in the data for ${date}; the report is on hold.`,
    reasonLabel: 'Reason',
  },
};

const MESSAGES: Readonly<Record<ReportLocale, ReportMessages>> = { ko, en };

/** The report's fixed text in one locale. */
export function messagesFor(locale: ReportLocale): ReportMessages {
  return MESSAGES[locale];
}

/** The email subject of a day's report, e.g. "일일 앱 사용 결과 (2024-05-01)". */
export function reportSubject(locale: ReportLocale, date: string): string {
  return messagesFor(locale).title(date);
}

const INTL_LOCALE: Readonly<Record<ReportLocale, string>> = { ko: 'ko-KR', en: 'en-US' };

/** What the reader sees for a value that is missing. */
export const MISSING = '–';
const MINUS = '−';

/** Formats numbers, percentages and changes for one locale. */
export interface NumberFormats {
  /** Whole counts: 1,234. */
  count(value: number | null | undefined): string;
  /** A percentage already scaled to 0–100, one decimal: 12.3%. */
  percent(value: number | null | undefined): string;
  /** A ratio such as books per recommendation, two decimals: 1.25. */
  decimal(value: number | null | undefined): string;
  /** Relative change from `previous` to `current`: ▲ +3.2% / ▼ −1.0% / ±0.0% / –. */
  relativeChange(current: number | null | undefined, previous: number | null | undefined): string;
  /** Change of a percentage in percentage points: ▲ +1.5%p / ▼ −0.3%p / –. */
  pointChange(current: number | null | undefined, previous: number | null | undefined): string;
}

function isNumber(value: number | null | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** Number formatting for a locale (Korean and English both group thousands with commas). */
export function numberFormats(locale: ReportLocale): NumberFormats {
  const tag = INTL_LOCALE[locale];
  const whole = new Intl.NumberFormat(tag, { maximumFractionDigits: 0 });
  const oneDecimal = new Intl.NumberFormat(tag, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const twoDecimals = new Intl.NumberFormat(tag, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const pointUnit = locale === 'ko' ? '%p' : ' pp';

  const signed = (delta: number, unit: string): string => {
    const magnitude = oneDecimal.format(Math.abs(delta));
    // A change that rounds to 0.0 is shown as no change, not as "▲ +0.0%".
    if (magnitude === oneDecimal.format(0)) return `±${magnitude}${unit}`;
    return delta > 0 ? `▲ +${magnitude}${unit}` : `▼ ${MINUS}${magnitude}${unit}`;
  };

  return {
    count: (v) => (isNumber(v) ? whole.format(v) : MISSING),
    percent: (v) => (isNumber(v) ? `${oneDecimal.format(v)}%` : MISSING),
    decimal: (v) => (isNumber(v) ? twoDecimals.format(v) : MISSING),
    relativeChange: (current, previous) => {
      // A change from zero has no meaningful ratio.
      if (!isNumber(current) || !isNumber(previous) || previous === 0) return MISSING;
      return signed(((current - previous) / Math.abs(previous)) * 100, '%');
    },
    pointChange: (current, previous) => {
      if (!isNumber(current) || !isNumber(previous)) return MISSING;
      return signed(current - previous, pointUnit);
    },
  };
}

import type { ReportData } from '../../src/report/types';

/** A realistic day: Korean keywords and titles, 12 keywords (more than the chart's 10), one missing title. */
export function sampleReport(overrides: Partial<ReportData> = {}): ReportData {
  return {
    date: '2024-05-01',
    locale: 'ko',
    headline: {
      requests: { value: 1234, previousDay: 1196, previousWeek: null },
      failureRatePct: { value: 12.3, previousDay: 13.8, previousWeek: 10.1 },
      booksPerChoosingSearch: { value: 1.25, previousDay: 1.25, previousWeek: 1.5 },
      choosingSharePct: { value: 41.5, previousDay: 40, previousWeek: null },
    },
    keywords: [
      '파이썬',
      '데이터 분석',
      '머신러닝',
      'SQL',
      '자바스크립트',
      '리액트',
      '도커',
      '쿠버네티스',
      '알고리즘',
      '통계',
      '열한번째',
      '열두번째',
    ].map((label, i) => ({ label, count: 200 - i * 15 })),
    books: [
      { title: '혼자 공부하는 파이썬', isbn13: '9791162241882', count: 90 },
      { title: null, isbn13: '9788966262472', count: 41 },
      { title: 'Clean Code', isbn13: '9780132350884', count: 12 },
    ],
    libraries: [
      { label: '노원', count: 400 },
      { label: '마포', count: 310 },
      { label: '남산', count: 120 },
    ],
    failedKeywords: [
      { label: 'ㅁㄴㅇㄹ', count: 7 },
      { label: 'qwerty', count: 3 },
    ],
    ...overrides,
  };
}

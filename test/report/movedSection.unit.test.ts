import { renderReport } from '../../src/report/renderReport';
import { reportSections } from '../../src/report/sections';
import type { Mover, Movers } from '../../src/report/types';
import { sampleReport } from './fixtures';

/** "What moved" as the report shows it: under the headline, in both locales, every label escaped. */

const HOSTILE = '<img src=x onerror=alert(1)>&소설';

function mover(overrides: Partial<Mover>): Mover {
  return {
    kind: 'keyword',
    basis: 'week',
    direction: 'rose',
    label: '소설',
    todayCount: 30,
    basisCount: 12,
    change: 18,
    newInTop: false,
    ...overrides,
  };
}

const MOVERS: Movers = {
  minCount: 10,
  items: [
    mover({}),
    mover({ label: HOSTILE, todayCount: 12, basisCount: 0, change: 12, newInTop: true }),
    mover({ label: '역사', direction: 'fell', todayCount: 5, basisCount: 20, change: -15 }),
    mover({ basis: 'average', basisCount: 14.5, change: 15.5 }),
    mover({ kind: 'library', label: '노원', direction: 'fell', todayCount: 25, basisCount: 40, change: -15 }),
    mover({ kind: 'book', label: '채식주의자', todayCount: 1234, basisCount: 10, change: 1224 }),
  ],
};

describe('what moved', () => {
  it('comes first, under the headline, one row per kind and basis with movers', () => {
    const sections = reportSections(sampleReport({ movers: MOVERS }));
    expect(sections.map((s) => s.key)).toEqual(['moved', 'keywords', 'books', 'libraries', 'failedKeywords']);
    expect(sections[0]!.rows).toEqual([
      ['키워드 · 전주 같은 요일 대비', `소설 30 (+18) · ${HOSTILE} 12 (+12, 신규)`, '역사 5 (−15)'],
      ['키워드 · 7일 평균 대비', '소설 30 (+15.5)', '–'],
      ['도서 · 전주 같은 요일 대비', '채식주의자 1,234 (+1,224)', '–'],
      ['도서관 · 전주 같은 요일 대비', '–', '노원 25 (−15)'],
    ]);
    expect(sections[0]!.caption).toContain('10회 미만');
  });

  it('is left out when nothing moved or the mart has no movers', () => {
    expect(reportSections(sampleReport({ movers: { minCount: 10, items: [] } }))[0]!.key).toBe('keywords');
    expect(reportSections(sampleReport())[0]!.key).toBe('keywords');
  });

  it.each([
    ['ko', '주요 변동', '늘어남', '신규', '전주 같은 요일 대비'],
    ['en', 'What moved', 'Rose', 'new', 'vs same weekday last week'],
  ] as const)(
    'renders in the HTML and the text part (%s), escaped',
    async (locale, title, rose, tag, basis) => {
      const report = await renderReport(sampleReport({ locale, movers: MOVERS }), { imageMode: 'cid' });
      const html = report.html;
      expect(html).toContain(title);
      expect(html).toContain(rose);
      // The section sits between the headline cards and the first ranking.
      const at = html.indexOf(title);
      expect(at).toBeGreaterThan(html.indexOf('headline-value'));
      expect(at).toBeLessThan(html.indexOf(locale === 'ko' ? '유저 검색 키워드' : 'User search keywords'));
      // User text is escaped: no tag from a keyword reaches the HTML.
      expect(html).not.toContain('<img src=x');
      expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;&amp;소설');
      expect(html).toContain(`(+12, ${tag})`);
      // No chart for it: the four rankings keep theirs.
      expect(report.images.map((i) => i.filename)).not.toContain('moved-2024-05-01.png');
      expect(report.images).toHaveLength(4);
      expect(report.text).toContain(`${title}\n`);
      expect(report.text).toMatch(new RegExp(`: ▲ 소설 30 \\(\\+18\\) · .*${tag}\\) / ▼ 역사 5 \\(−15\\)`));
      expect(report.text).toContain(basis);
    },
  );
});

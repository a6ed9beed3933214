import { UserInputError } from '../../src/errors';
import { renderReport } from '../../src/report/renderReport';
import { sampleReport } from './fixtures';
import { pngSize } from './pixels';

const srcs = (html: string): string[] =>
  Array.from(html.matchAll(/<img[^>]*\ssrc="([^"]*)"/g), (m) => m[1] ?? '');

describe('renderReport', () => {
  it('in cid mode attaches one PNG per non-empty section and refers to each from the HTML', async () => {
    const report = await renderReport(sampleReport(), { imageMode: 'cid' });
    expect(report.images.map((i) => i.filename)).toEqual([
      'keywords-2024-05-01.png',
      'books-2024-05-01.png',
      'libraries-2024-05-01.png',
      'failedKeywords-2024-05-01.png',
    ]);
    expect(srcs(report.html).sort()).toEqual(report.images.map((i) => `cid:${i.cid}`).sort());
    for (const image of report.images) expect(pngSize(image.png).width).toBeGreaterThan(0);
  });

  it('in inline-data-uri mode embeds every chart and attaches nothing', async () => {
    const report = await renderReport(sampleReport(), { imageMode: 'inline-data-uri' });
    expect(report.images).toEqual([]);
    const images = srcs(report.html);
    expect(images).toHaveLength(4);
    for (const src of images) {
      expect(src).toMatch(/^data:image\/png;base64,/);
      pngSize(Buffer.from(src.slice('data:image/png;base64,'.length), 'base64'));
    }
  });

  it('in quickchart-url mode points images at the configured server', async () => {
    const report = await renderReport(sampleReport(), {
      imageMode: 'quickchart-url',
      quickChartUrl: 'http://127.0.0.1:3400',
    });
    expect(report.images).toEqual([]);
    const images = srcs(report.html);
    expect(images).toHaveLength(4);
    for (const src of images) expect(src.startsWith('http://127.0.0.1:3400/chart?c=')).toBe(true);
    // "&" between query parameters is escaped in the attribute.
    expect(images[0]).toContain('&amp;w=');
  });

  it('needs a QuickChart URL for quickchart-url mode', async () => {
    await expect(renderReport(sampleReport(), { imageMode: 'quickchart-url' })).rejects.toThrow(
      UserInputError,
    );
  });

  it.each(['2024-02-30', '2024-5-1', '20240501', '2024-05-01<b>'])('refuses the date %s', async (date) => {
    await expect(renderReport(sampleReport({ date }), { imageMode: 'cid' })).rejects.toThrow(UserInputError);
  });

  it('shows "no data" for an empty section and draws no chart for it', async () => {
    const report = await renderReport(sampleReport({ failedKeywords: [] }), { imageMode: 'cid' });
    expect(report.images.map((i) => i.filename)).not.toContain('failedKeywords-2024-05-01.png');
    expect(report.html).toContain('데이터 없음');
    expect(report.text).toMatch(/검색 실패 키워드\n {2}[^\n]*\n {2}데이터 없음/);
  });

  it('shows every table row passed (beyond the top 10) and missing headline values as dashes', async () => {
    const keywords = Array.from({ length: 50 }, (_, i) => ({ label: `키워드${i + 1}`, count: 1000 - i }));
    const report = await renderReport(
      sampleReport({
        keywords,
        headline: {
          requests: { value: 0 },
          failureRatePct: { value: null },
          booksPerChoosingSearch: { value: null, previousDay: 1.2, previousWeek: null },
          choosingSharePct: { value: null },
        },
      }),
      { imageMode: 'cid' },
    );
    expect(report.html).toContain('키워드50');
    expect(report.text).toContain('10. 키워드10 — 991');
    expect(report.text).not.toContain('키워드11');
    expect(report.text).toContain('도서 검색 실패율: – (전일 대비 –, 전주 같은 요일 대비 –)');
  });

  it('adds the optional hourly section (24 bars) and the queries-per-user summary when given', async () => {
    const report = await renderReport(
      sampleReport({
        hourly: [
          { hour: 9, count: 1500 },
          { hour: 23, count: 7 },
        ],
        queriesPerUser: { users: 321, mean: 2.345, max: 17 },
      }),
      { imageMode: 'cid' },
    );
    expect(report.images.map((i) => i.filename)).toContain('hourly-2024-05-01.png');
    expect(report.html).toContain('시간대별 요청 수');
    expect(report.html).toContain('1,500');
    expect(report.text).toContain('9시 1,500');
    expect(report.text).toContain('23시 7');
    expect(report.text).toContain('사용자 321명, 1인당 평균 2.35회, 최대 17회');
  });

  it("stays under Gmail's 102 KB clipping limit with four tables of 50 rows", async () => {
    const rows = (prefix: string) =>
      Array.from({ length: 50 }, (_, i) => ({ label: `${prefix} 검색어 키워드 ${i}`, count: 1000 - i }));
    const report = await renderReport(
      sampleReport({
        keywords: rows('키워드'),
        libraries: rows('도서관'),
        failedKeywords: rows('실패'),
        books: Array.from({ length: 50 }, (_, i) => ({
          title: `데이터 분석 입문 ${i}판`,
          isbn13: '9791162241882',
          count: 100 - i,
        })),
        hourly: Array.from({ length: 24 }, (_, hour) => ({ hour, count: 1000 + hour })),
      }),
      { imageMode: 'cid' },
    );
    expect(Buffer.byteLength(report.html)).toBeLessThan(102 * 1024);
  });

  it('keeps the email free of scripts and web fonts, so it opens without a network', async () => {
    const report = await renderReport(sampleReport(), { imageMode: 'inline-data-uri' });
    expect(report.html).not.toMatch(/<script/i);
    expect(report.html).not.toMatch(/<link[^>]+stylesheet/i);
    expect(report.html).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
  });
});

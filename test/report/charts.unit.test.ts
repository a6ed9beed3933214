import { UserInputError } from '../../src/errors';
import {
  barChartSpec,
  CHART_PIXEL_RATIO,
  quickChartUrl,
  renderChartPng,
  toQuickChart,
} from '../../src/report/charts';
import { ensureChartFont } from '../../src/report/fonts';
import { darkPixels, glyphMask, pngSize, rgbaAt } from './pixels';

const KEYWORDS = [
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
];

function oneLabelChart(label: string): Buffer {
  return renderChartPng(
    barChartSpec({ labels: [label], values: [10], orientation: 'horizontal', seriesLabel: 'k' }),
  );
}

/** The label area of a one-bar horizontal chart: left of the bars, above the value axis. */
const LABEL_AREA = { x: 0, y: 0, width: 200 * CHART_PIXEL_RATIO, height: 60 };

describe('chart rendering', () => {
  const spec = barChartSpec({
    labels: KEYWORDS,
    values: KEYWORDS.map((_, i) => 100 - i * 9),
    orientation: 'horizontal',
    seriesLabel: '키워드',
  });

  it('draws a PNG at twice the CSS size with real content', () => {
    const png = renderChartPng(spec);
    expect(pngSize(png)).toEqual({
      width: spec.width * CHART_PIXEL_RATIO,
      height: spec.height * CHART_PIXEL_RATIO,
    });
    expect(png.length).toBeGreaterThan(10_000);
  });

  it('gives the same bytes for the same input', () => {
    expect(renderChartPng(spec).equals(renderChartPng(spec))).toBe(true);
  });

  it('sizes a horizontal chart by its number of bars and draws 24 hours as vertical bars', () => {
    const few = barChartSpec({
      labels: ['a', 'b'],
      values: [1, 2],
      orientation: 'horizontal',
      seriesLabel: 'k',
    });
    expect(few.height).toBeLessThan(spec.height);
    const hours = barChartSpec({
      labels: Array.from({ length: 24 }, (_, h) => String(h)),
      values: Array.from({ length: 24 }, (_, h) => h),
      orientation: 'vertical',
      seriesLabel: 'h',
    });
    expect(hours.config.options?.indexAxis).toBe('x');
    expect(pngSize(renderChartPng(hours)).width).toBe(hours.width * CHART_PIXEL_RATIO);
  });

  it('refuses labels and values of different lengths', () => {
    expect(() =>
      barChartSpec({ labels: ['a'], values: [1, 2], orientation: 'horizontal', seriesLabel: 'k' }),
    ).toThrow(UserInputError);
  });

  it('has an opaque white background, so dark-mode clients do not show black', async () => {
    const png = renderChartPng(spec);
    expect(await rgbaAt(png, 0, 0)).toEqual([255, 255, 255, 255]);
    expect(
      await rgbaAt(png, spec.width * CHART_PIXEL_RATIO - 1, spec.height * CHART_PIXEL_RATIO - 1),
    ).toEqual([255, 255, 255, 255]);
  });
});

describe('Hangul in charts', () => {
  const family = ensureChartFont();

  it('the probe can see missing glyphs: characters the font lacks all draw the same box', () => {
    const a = glyphMask('\uE000', family);
    const b = glyphMask('\uE001', family);
    expect(a.count).toBeGreaterThan(0);
    expect(a.mask).toBe(b.mask);
  });

  it('draws distinct Hangul glyphs with the bundled font, not boxes', () => {
    const masks = ['가', '나', '한', '글'].map((c) => glyphMask(c, family));
    for (const m of masks) expect(m.count).toBeGreaterThan(50);
    expect(new Set(masks.map((m) => m.mask)).size).toBe(4);
  });

  it('draws Korean chart labels as ink, different for different words', async () => {
    const blank = await darkPixels(oneLabelChart(''), LABEL_AREA);
    const first = await darkPixels(oneLabelChart('가나다라마'), LABEL_AREA);
    const second = await darkPixels(oneLabelChart('바사아자차'), LABEL_AREA);
    expect(first.count).toBeGreaterThan(blank.count + 100);
    expect(second.count).toBeGreaterThan(blank.count + 100);
    expect(first.mask).not.toBe(second.mask);
  });
});

describe('QuickChart', () => {
  const spec = barChartSpec({
    labels: ['파이썬', 'SQL'],
    values: [3, 1],
    orientation: 'horizontal',
    seriesLabel: 'k',
  });

  it('holds the same config that is rendered offline', () => {
    const qc = toQuickChart(spec);
    expect(qc.isValid()).toBe(true);
    const post = qc.getPostData();
    expect(post.width).toBe(spec.width);
    expect(post.chart).toContain('파이썬');
  });

  it('builds a chart URL on the configured server, keeping a path prefix', () => {
    const url = new URL(quickChartUrl(spec, 'http://127.0.0.1:3400/qc/'));
    expect(`${url.origin}${url.pathname}`).toBe('http://127.0.0.1:3400/qc/chart');
    expect(url.searchParams.get('c')).toContain('파이썬');
    expect(url.searchParams.get('w')).toBe(String(spec.width));
    expect(url.searchParams.get('devicePixelRatio')).toBe(String(CHART_PIXEL_RATIO));
  });

  it('refuses a QuickChart address that is not an http(s) URL', () => {
    expect(() => quickChartUrl(spec, 'not a url')).toThrow(UserInputError);
    expect(() => quickChartUrl(spec, 'file:///etc')).toThrow(UserInputError);
  });
});

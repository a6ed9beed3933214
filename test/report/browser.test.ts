import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { renderReport } from '../../src/report/renderReport';
import { testChromium } from '../support/chromium';
import { sampleReport } from './fixtures';

const LONG_WORD = 'https://example.com/' + 'a'.repeat(400);

/** The few browser globals the page checks read (the project compiles without the DOM library). */
interface Box {
  readonly parentElement: Box | null;
  getBoundingClientRect(): { readonly width: number };
}
interface PageGlobals {
  readonly injected?: boolean;
  readonly innerWidth: number;
  readonly document: {
    readonly documentElement: { readonly scrollWidth: number };
    querySelectorAll(selector: string): ArrayLike<Box>;
  };
}

/**
 * Opens the archived report (charts as data URIs) in headless Chromium, as a reader would open
 * reports/YYYY-MM-DD.html from disk with no network.
 */
describe('archived report in a browser', () => {
  let browser: Browser;
  let dir: string;

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: testChromium(),
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    dir = await mkdtemp(path.join(tmpdir(), 'libreport-report-'));
  });

  afterAll(async () => {
    await browser?.close();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('shows the headline numbers, every chart decoded, user text as text, and fetches nothing', async () => {
    const data = sampleReport({
      keywords: [
        { label: '<script>window.injected = true</script>', count: 300 },
        { label: LONG_WORD, count: 200 },
        ...sampleReport().keywords,
      ],
      hourly: [{ hour: 9, count: 321 }],
    });
    const report = await renderReport(data, { imageMode: 'inline-data-uri' });
    const file = path.join(dir, `${data.date}.html`);
    await writeFile(file, report.html);

    const page = await browser.newPage({ viewport: { width: 1024, height: 900 } });
    const fetched: string[] = [];
    page.on('request', (request) => {
      if (!/^(file|data):/.test(request.url())) fetched.push(request.url());
    });
    await page.goto(`file://${file}`, { waitUntil: 'load' });

    const text = await page.innerText('body');
    for (const shown of [
      '일일 앱 사용 결과 (2024-05-01)',
      '1,234',
      '12.3%',
      '1.25',
      '▲ +3.2%',
      '▼ −1.5%p',
      '▼ −16.7%',
    ]) {
      expect(text).toContain(shown);
    }

    const images = await page.$$eval('img', (imgs) =>
      imgs.map((img) => ({ complete: img.complete, naturalWidth: img.naturalWidth, alt: img.alt })),
    );
    expect(images).toHaveLength(5);
    for (const image of images) {
      expect(image).toMatchObject({ complete: true });
      expect(image.naturalWidth).toBeGreaterThan(0);
    }

    expect(await page.$$('script')).toHaveLength(0);
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).injected)).toBeUndefined();
    const cells = await page.$$eval('td', (tds) => tds.map((td) => td.textContent ?? ''));
    expect(cells).toContain('<script>window.injected = true</script>');
    expect(cells).toContain(LONG_WORD);
    expect(fetched).toEqual([]);
    await page.close();
  });

  it('wraps a very long keyword inside its table instead of widening the page', async () => {
    const data = sampleReport({ keywords: [{ label: LONG_WORD, count: 1 }] });
    const report = await renderReport(data, { imageMode: 'inline-data-uri' });
    const file = path.join(dir, 'long-word.html');
    await writeFile(file, report.html);

    const page = await browser.newPage({ viewport: { width: 1024, height: 900 } });
    await page.goto(`file://${file}`, { waitUntil: 'load' });
    const layout = await page.evaluate(() => {
      const page = globalThis as unknown as PageGlobals;
      return {
        pageWidth: page.document.documentElement.scrollWidth,
        viewport: page.innerWidth,
        tables: Array.from(page.document.querySelectorAll('.report-table table'), (t) => {
          const parent = t.parentElement;
          return {
            width: t.getBoundingClientRect().width,
            room: parent === null ? 0 : parent.getBoundingClientRect().width,
          };
        }),
      };
    });
    expect(layout.pageWidth).toBeLessThanOrEqual(layout.viewport);
    expect(layout.tables.length).toBeGreaterThan(0);
    for (const table of layout.tables) expect(table.width).toBeLessThanOrEqual(table.room + 1);
    await page.close();
  });
});

import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { REPORT_FONT_FAMILY } from '../../src/report/fontFamily';
import { renderReport } from '../../src/report/renderReport';
import { testChromium } from '../support/chromium';
import { sampleReport } from './fixtures';

/** Distinct syllables the sample report shows; real glyphs differ, missing-glyph boxes all look alike. */
const SYLLABLES = ['일', '파', '노', '원', '검'];

/** The browser globals the probe uses (the project compiles without the DOM library). */
interface ProbeDocument {
  readonly body: { appendChild(node: unknown): void };
  createElement(tag: string): { id: string; textContent: string; style: Record<string, string> };
}

/**
 * Opens the archived report in headless Chromium on a machine with no fonts at all (an empty fontconfig),
 * as on a fresh server, and checks that Hangul is drawn with real glyphs from the font the archive embeds.
 */
describe('archived report on a machine without Korean fonts', () => {
  let browser: Browser;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'libreport-font-'));
    // A fontconfig with no font directories: Chromium sees no system font, Korean or other.
    const fontsConf = path.join(dir, 'fonts.conf');
    await writeFile(
      fontsConf,
      `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig><cachedir>${dir}/cache</cachedir></fontconfig>\n`,
    );
    const env = { ...process.env, FONTCONFIG_FILE: fontsConf } as Record<string, string>;
    expect(execFileSync('fc-list', [':lang=ko'], { env, encoding: 'utf8' }).trim()).toBe('');
    browser = await chromium.launch({
      executablePath: testChromium(),
      env,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  /** Screenshots of each syllable set in `fontFamily` (null: inherit the report's font stack). */
  async function glyphShots(page: Page, fontFamily: string | null): Promise<string[]> {
    const shots: string[] = [];
    for (const [i, syllable] of SYLLABLES.entries()) {
      const id = `probe-${fontFamily === null ? 'report' : 'system'}-${i}`;
      await page.evaluate(
        ({ id, syllable, fontFamily }) => {
          const document = (globalThis as unknown as { document: ProbeDocument }).document;
          const span = document.createElement('span');
          span.id = id;
          span.textContent = syllable;
          Object.assign(span.style, { fontSize: '48px', display: 'inline-block', padding: '4px' });
          if (fontFamily !== null) span.style.fontFamily = fontFamily;
          // Inside a table cell of the report, so it inherits exactly what the report's text inherits.
          const cell = (
            globalThis as unknown as { document: { querySelector(s: string): unknown } }
          ).document.querySelector('.report-table table td');
          (cell as ProbeDocument['body']).appendChild(span);
        },
        { id, syllable, fontFamily },
      );
      shots.push((await page.locator(`#${id}`).screenshot()).toString('base64'));
    }
    return shots;
  }

  it('draws Hangul with the embedded font, where the machine itself has only missing-glyph boxes', async () => {
    const report = await renderReport(sampleReport(), { imageMode: 'inline-data-uri' });
    const file = path.join(dir, '2024-05-01.html');
    await writeFile(file, report.html);
    const page = await browser.newPage({ viewport: { width: 1024, height: 900 } });
    // Chromium now and then refuses the embedded data: font with a NetworkError on the first load of the page
    // (seen here roughly one load in three, not explained yet: see the closing note); a reload loads it.
    for (let attempt = 1; ; attempt++) {
      try {
        await page.goto(`file://${file}`, { waitUntil: 'load' });
        // A web font loads only once text asks for it, so `fonts.ready` alone can resolve before it has: load the
        // embedded face for these syllables explicitly, then screenshot (a race that failed one CI run in two).
        await page.evaluate(
          ({ family, text }) =>
            (
              globalThis as unknown as {
                document: {
                  fonts: { load(font: string, text: string): Promise<unknown>; ready: Promise<unknown> };
                };
              }
            ).document.fonts
              .load(`48px "${family}"`, text)
              .then(
                () =>
                  (globalThis as unknown as { document: { fonts: { ready: Promise<unknown> } } }).document
                    .fonts.ready,
              ),
          { family: REPORT_FONT_FAMILY, text: SYLLABLES.join('') },
        );
        break;
      } catch (error) {
        if (attempt === 3) throw error;
      }
    }

    // Control: with the system's fonts only, every syllable is the same box (or nothing).
    const system = await glyphShots(page, 'sans-serif');
    expect(new Set(system).size).toBe(1);

    // The report's own text: five different syllables, five different pictures, none of them the box.
    const shown = await glyphShots(page, null);
    expect(new Set(shown).size).toBe(SYLLABLES.length);
    for (const shot of shown) expect(system).not.toContain(shot);

    // And the text Chromium laid out for the title came from the embedded font, glyph for glyph.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root } = await cdp.send('DOM.getDocument');
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector: 'h1' });
    const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
    expect(fonts).toEqual([expect.objectContaining({ isCustomFont: true })]);
    await page.close();
  });

  it('embeds only a subset of the font, and the email none of it', async () => {
    const archived = await renderReport(sampleReport(), { imageMode: 'inline-data-uri' });
    const email = await renderReport(sampleReport(), { imageMode: 'cid' });
    const font = /url\(data:font\/woff2;base64,([^)]+)\)/.exec(archived.html)?.[1] ?? '';
    expect(font.length).toBeGreaterThan(1000);
    // The whole Noto Sans KR is 6 MB; the sample's few dozen characters need a few tens of KB at most.
    expect(Buffer.from(font, 'base64').length).toBeLessThan(60_000);
    expect(email.html).not.toContain('@font-face');
  });
});

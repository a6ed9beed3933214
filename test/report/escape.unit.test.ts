import { escapeHtml, toSingleLine } from '../../src/report/escape';
import { renderReport } from '../../src/report/renderReport';
import { sampleReport } from './fixtures';

const SCRIPT = '<script>alert(1)</script>';
/** Tries to close MJML's text, column and section and open elements of its own. */
const MJML_BREAKOUT =
  '</mj-table></mj-column></mj-section><mj-raw><script>alert(2)</script></mj-raw><mj-section>';

describe('escapeHtml', () => {
  it('escapes the five characters that matter in HTML text and attributes', () => {
    expect(escapeHtml(`a&b<c>d"e'f`)).toBe('a&amp;b&lt;c&gt;d&quot;e&#39;f');
  });

  it('leaves other text, Hangul included, alone', () => {
    expect(escapeHtml('파이썬 3.12 / C++')).toBe('파이썬 3.12 / C++');
  });
});

describe('toSingleLine', () => {
  it('turns line breaks and control characters into spaces', () => {
    expect(toSingleLine('a\r\nb\tc\u001b[2Jd')).toBe('a b c [2Jd');
  });
});

describe('user text in the rendered report', () => {
  it('shows a <script> keyword as text and produces no script element', async () => {
    const report = await renderReport(
      sampleReport({
        keywords: [{ label: SCRIPT, count: 9 }],
        failedKeywords: [{ label: `"><img src=x onerror=alert(3)>`, count: 1 }],
      }),
      { imageMode: 'cid' },
    );
    expect(report.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(report.html).not.toMatch(/<script/i);
    expect(report.html).not.toMatch(/<img[^>]*onerror/i);
    expect(report.text).toContain(SCRIPT);
  });

  it('does not let MJML tags in a keyword or book title break the document', async () => {
    const report = await renderReport(
      sampleReport({
        keywords: [
          { label: MJML_BREAKOUT, count: 5 },
          { label: '</mj-text>', count: 4 },
        ],
        books: [{ title: '<mj-include path="/etc/passwd" />', isbn13: '9780000000001', count: 3 }],
      }),
      { imageMode: 'cid' },
    );
    expect(report.html).toContain(escapeHtml(MJML_BREAKOUT));
    expect(report.html).toContain('&lt;/mj-text&gt;');
    expect(report.html).toContain('&lt;mj-include path=&quot;/etc/passwd&quot; /&gt;');
    expect(report.html).not.toMatch(/<mj-/);
    expect(report.html).not.toMatch(/<script/i);
    // Everything after the injected keyword is still there, in order.
    const order = ['유저 검색 키워드', '도서 검색 순위', '도서관 검색 순위', '검색 실패 키워드'].map((t) =>
      report.html.indexOf(t),
    );
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(report.html).toContain('노원');
    expect(report.html).toContain('ㅁㄴㅇㄹ');
  });
});

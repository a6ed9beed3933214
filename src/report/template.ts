import { REPORT_FONT_FAMILY } from './fontFamily';
import { escapeHtml } from './escape';
import type { ChangeTone, ShownHeadline } from './headline';
import type { ReportSection } from './sections';
import type { ReportLocale } from './types';

/** Where a section's chart image comes from: a `cid:` reference, a `data:` URI or a URL. */
export interface ChartImageRef {
  readonly src: string;
  readonly width: number;
}

/** What the MJML template needs; all text is plain and escaped here. */
export interface ReportView {
  readonly locale: ReportLocale;
  readonly title: string;
  readonly preview: string;
  readonly headline: readonly ShownHeadline[];
  readonly sections: readonly ReportSection[];
  /** Chart images by section key; a section without one shows only its table. */
  readonly charts: ReadonlyMap<string, ChartImageRef>;
  readonly noData: string;
  /** An optional one-line summary under the sections (distinct queries per user). */
  readonly footnote?: { readonly title: string; readonly text: string };
}

/** Email width. Wide enough for a 500px chart beside its table; MJML stacks the columns on phones. */
const BODY_WIDTH = 900;
const CHART_COLUMN_WIDTH = 520;
const TABLE_COLUMN_WIDTH = BODY_WIDTH - CHART_COLUMN_WIDTH;
/**
 * The bundled Noto Sans KR comes first: the archived file embeds it (a subset, see embeddedFont.ts) so it
 * reads the same on a machine without Korean fonts; mail clients do not have it and use the next ones.
 */
const FONT_STACK = `${REPORT_FONT_FAMILY}, Apple SD Gothic Neo, Malgun Gothic, Noto Sans KR, Noto Sans CJK KR, Helvetica, Arial, sans-serif`;
const TONE_COLOR: Readonly<Record<ChangeTone, string>> = {
  good: '#1a7f37',
  bad: '#c62828',
  neutral: '#666666',
};
/**
 * Body cells are styled by class (the <mj-style> below), not inline: Gmail clips an email whose HTML
 * passes 102 KB, and inline styles on four tables of 50 rows alone would pass it. Where a client
 * drops the style block only padding and rules are lost; wrapping stays inline on the cells.
 */
const CELL_CSS = '.report-table td { padding: 3px 6px; border-bottom: 1px solid #eceef1; }';
/** Long unbroken words (a pasted URL as a keyword) wrap inside their cell instead of widening the table. */
const WRAP = 'word-break:break-all;overflow-wrap:anywhere';
const HEAD_CELL = 'padding:6px;border-bottom:2px solid #c9ced6;background:#f6f7f9;font-weight:bold';

const e = escapeHtml;

function headlineCard(card: ShownHeadline, width: string): string {
  const changes = card.changes
    .map(
      (c) =>
        `<div style="font-size:12px;color:#666666;">${e(c.label)} ` +
        `<span style="color:${TONE_COLOR[c.tone]};font-weight:bold;">${e(c.text)}</span></div>`,
    )
    .join('');
  return `
      <mj-column width="${width}" padding="6px">
        <mj-text css-class="headline-card" align="center" padding="12px 8px" container-background-color="#f6f7f9">
          <div style="font-size:13px;color:#444444;">${e(card.label)}</div>
          <div class="headline-value" style="font-size:28px;font-weight:bold;color:#111111;line-height:1.3;">${e(card.value)}</div>
          ${changes}
        </mj-text>
      </mj-column>`;
}

/** Cards share one row; MJML wants each column's width as a percentage. */
function cardWidth(cards: number): string {
  return `${Math.floor(10000 / Math.max(1, cards)) / 100}%`;
}

function tableRows(section: ReportSection): string {
  const colgroup = section.columns
    .map((c) => (c.width === undefined ? '<col />' : `<col style="width:${c.width}" />`))
    .join('');
  const head = section.columns
    .map((c) => `<th align="${c.numeric ? 'right' : 'left'}" style="${HEAD_CELL}">${e(c.header)}</th>`)
    .join('');
  const cell = (text: string, numeric: boolean): string =>
    numeric ? `<td align="right">${e(text)}</td>` : `<td style="${WRAP}">${e(text)}</td>`;
  const body = section.rows
    .map(
      (row) =>
        `<tr valign="top">${row.map((text, i) => cell(text, section.columns[i]?.numeric ?? false)).join('')}</tr>`,
    )
    .join('\n');
  return `<colgroup>${colgroup}</colgroup><tr>${head}</tr>\n${body}`;
}

/** The hours of a day as two rows of twelve columns, which fits the email width where 24 rows would not. */
function hourlyRows(section: ReportSection): string {
  const halves = [section.rows.slice(0, 12), section.rows.slice(12, 24)];
  return halves
    .map(
      (half) =>
        `<tr>${half.map((r) => `<th align="center" style="${HEAD_CELL}">${e(r[0] ?? '')}</th>`).join('')}</tr>` +
        `<tr>${half.map((r) => `<td align="center">${e(r[1] ?? '')}</td>`).join('')}</tr>`,
    )
    .join('\n');
}

function chartImage(section: ReportSection, chart: ChartImageRef): string {
  return `<mj-image src="${e(chart.src)}" width="${chart.width}px" alt="${e(section.title)}" padding="0 10px" />`;
}

function sectionBlock(section: ReportSection, view: ReportView): string {
  const heading = `
    <mj-section background-color="#ffffff" padding="18px 0 4px">
      <mj-column>
        <mj-text font-size="17px" font-weight="bold" padding="0 20px">${e(section.title)}</mj-text>${
          section.caption === undefined
            ? ''
            : `
        <mj-text font-size="12px" color="#666666" padding="2px 20px 0">${e(section.caption)}</mj-text>`
        }
      </mj-column>
    </mj-section>`;
  if (section.rows.length === 0) {
    return `${heading}
    <mj-section background-color="#ffffff" padding="0 0 8px">
      <mj-column><mj-text color="#666666" padding="4px 20px">${e(view.noData)}</mj-text></mj-column>
    </mj-section>`;
  }
  if (section.layout === 'wide') {
    return `${heading}
    <mj-section background-color="#ffffff" padding="0 0 8px">
      <mj-column>
        <mj-table css-class="report-table" table-layout="fixed" font-size="13px" padding="4px 20px">${tableRows(section)}</mj-table>
      </mj-column>
    </mj-section>`;
  }
  const chart = view.charts.get(section.key);
  if (section.chart?.orientation === 'vertical') {
    return `${heading}
    <mj-section background-color="#ffffff" padding="0 0 8px">
      <mj-column>
        ${chart === undefined ? '' : chartImage(section, chart)}
        <mj-table css-class="report-table" table-layout="fixed" font-size="12px" padding="8px 20px">${hourlyRows(section)}</mj-table>
      </mj-column>
    </mj-section>`;
  }
  return `${heading}
    <mj-section background-color="#ffffff" padding="0 0 8px">
      <mj-column width="${CHART_COLUMN_WIDTH}px" vertical-align="top">
        ${chart === undefined ? '' : chartImage(section, chart)}
      </mj-column>
      <mj-column width="${TABLE_COLUMN_WIDTH}px" vertical-align="top">
        <mj-table css-class="report-table" table-layout="fixed" font-size="13px" padding="0 20px 0 10px">${tableRows(section)}</mj-table>
      </mj-column>
    </mj-section>`;
}

/**
 * The report as an MJML document. Table-based, inline-styled and free of scripts and web fonts, so
 * Gmail, Outlook and Apple Mail show the same thing. Every piece of text is escaped before it is
 * placed, which is also what keeps user text from being parsed as MJML tags.
 */
export function reportMjml(view: ReportView): string {
  const footnote =
    view.footnote === undefined
      ? ''
      : `
    <mj-section background-color="#ffffff" padding="18px 0 8px">
      <mj-column>
        <mj-text font-size="17px" font-weight="bold" padding="0 20px">${e(view.footnote.title)}</mj-text>
        <mj-text padding="4px 20px">${e(view.footnote.text)}</mj-text>
      </mj-column>
    </mj-section>`;
  return `<mjml lang="${e(view.locale)}">
  <mj-head>
    <mj-title>${e(view.title)}</mj-title>
    <mj-preview>${e(view.preview)}</mj-preview>
    <mj-attributes>
      <mj-all font-family="${FONT_STACK}" />
      <mj-text font-size="14px" color="#222222" line-height="1.5" />
    </mj-attributes>
    <mj-style>
      ${CELL_CSS}
    </mj-style>
  </mj-head>
  <mj-body width="${BODY_WIDTH}px" background-color="#eef0f3">
    <mj-section background-color="#ffffff" padding="20px 0 8px">
      <mj-column>
        <mj-text font-size="22px" font-weight="bold" padding="0 20px"><h1 style="margin:0;font-size:22px;">${e(view.title)}</h1></mj-text>
      </mj-column>
    </mj-section>
    <mj-section background-color="#ffffff" padding="4px 14px">${view.headline.map((c) => headlineCard(c, cardWidth(view.headline.length))).join('')}
    </mj-section>${view.sections.map((s) => sectionBlock(s, view)).join('')}${footnote}
    <mj-section padding="8px"><mj-column><mj-spacer height="8px" /></mj-column></mj-section>
  </mj-body>
</mjml>`;
}

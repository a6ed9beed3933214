import { randomBytes } from 'node:crypto';
import { UserInputError } from '../errors';
import { barChartSpec, quickChartUrl, renderChartPng } from './charts';
import { compileMjml } from './compileMjml';
import { embeddedFontFace, withFontFace } from './embeddedFont';
import { escapeHtml } from './escape';
import { assertReportDate } from './date';
import { showHeadline } from './headline';
import { messagesFor, numberFormats, reportSubject } from './i18n';
import { reportSections } from './sections';
import { reportMjml, type ChartImageRef } from './template';
import { reportText } from './text';
import type { InlineImage, RenderOptions, RenderedReport, ReportData } from './types';

function assertOptions(options: RenderOptions): void {
  if (
    options.imageMode === 'quickchart-url' &&
    (options.quickChartUrl === undefined || options.quickChartUrl === '')
  ) {
    throw new UserInputError('imageMode "quickchart-url" needs quickChartUrl (set QUICKCHART_URL)');
  }
}

/** The Content-ID of a section's chart; unique per day so clients never show a cached older chart. */
export function chartContentId(date: string, sectionKey: string): string {
  return `chart-${sectionKey}.${date}@libreport`;
}

/**
 * Renders one day's report: subject, HTML (via MJML), plain text and, in `cid` mode, the chart PNGs
 * to attach. Pure: no I/O beyond reading the bundled font. Use `inline-data-uri` for the archived
 * file so it opens offline (it also embeds the subset of the font its text needs), `cid` for the email.
 */
export async function renderReport(data: ReportData, options: RenderOptions): Promise<RenderedReport> {
  assertReportDate(data.date);
  assertOptions(options);
  const m = messagesFor(data.locale);
  const f = numberFormats(data.locale);
  const title = m.title(data.date);
  const headline = showHeadline(data);
  const sections = reportSections(data);

  const images: InlineImage[] = [];
  // Each chart's <img> gets a placeholder; the email's and the archive's HTML are the one compiled template with
  // the placeholders filled in two ways, so the archive differs from what staff received only in how images travel.
  const nonce = randomBytes(8).toString('hex');
  const charts = new Map<string, ChartImageRef>();
  const emailSrc = new Map<string, string>();
  const archiveSrc = new Map<string, string>();
  for (const section of sections) {
    if (section.chart === null) continue;
    const spec = barChartSpec({ ...section.chart, seriesLabel: section.title });
    const placeholder = chartPlaceholder(nonce, section.key);
    charts.set(section.key, { src: placeholder, width: spec.width });
    const needsPng = options.imageMode !== 'quickchart-url' || options.withArchive;
    const png = needsPng ? renderChartPng(spec) : undefined;
    const dataUri = png && `data:image/png;base64,${png.toString('base64')}`;
    if (dataUri) archiveSrc.set(placeholder, dataUri);
    if (options.imageMode === 'quickchart-url') {
      emailSrc.set(placeholder, quickChartUrl(spec, options.quickChartUrl ?? ''));
    } else if (options.imageMode === 'inline-data-uri') {
      emailSrc.set(placeholder, dataUri!);
    } else {
      const cid = chartContentId(data.date, section.key);
      images.push({ cid, filename: `${section.key}-${data.date}.png`, png: png! });
      emailSrc.set(placeholder, `cid:${cid}`);
    }
  }

  const footnote =
    data.queriesPerUser === undefined
      ? undefined
      : {
          title: m.sections.queriesPerUser,
          text: m.queriesPerUser(
            f.count(data.queriesPerUser.users),
            f.decimal(data.queriesPerUser.mean),
            f.count(data.queriesPerUser.max),
          ),
        };
  const preview = headline.map((h) => `${h.label} ${h.value}`).join(' · ');
  const template = await compileMjml(
    reportMjml({
      locale: data.locale,
      title,
      preview,
      headline,
      sections,
      charts,
      noData: m.noData,
      footnote,
    }),
  );
  const html = fillCharts(template, emailSrc);
  // The archive must read the same anywhere, so it carries its own font; the email does not: most clients
  // ignore web fonts, and the subset would only make every message bigger.
  const selfContained = async (page: string) => withFontFace(page, await embeddedFontFace(page));
  const archiveHtml = options.withArchive ? await selfContained(fillCharts(template, archiveSrc)) : undefined;
  const text = reportText({ locale: data.locale, title, headline, sections, footnote });
  return {
    subject: reportSubject(data.locale, data.date),
    html: options.imageMode === 'inline-data-uri' ? await selfContained(html) : html,
    text,
    images,
    ...(archiveHtml === undefined ? {} : { archiveHtml }),
  };
}

/** A token no report text can contain: it carries a random nonce drawn for this render. */
function chartPlaceholder(nonce: string, sectionKey: string): string {
  return `libreport-chart-${nonce}-${sectionKey}`;
}

/** Puts each chart's source into its `src` attribute, escaped as MJML escapes attribute values. */
function fillCharts(html: string, sources: ReadonlyMap<string, string>): string {
  let filled = html;
  for (const [placeholder, src] of sources) filled = filled.split(placeholder).join(escapeHtml(src));
  return filled;
}

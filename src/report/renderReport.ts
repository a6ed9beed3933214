import { UserInputError } from '../errors';
import { barChartSpec, quickChartUrl, renderChartPng } from './charts';
import { compileMjml } from './compileMjml';
import { embeddedFontFace, withFontFace } from './embeddedFont';
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
  const charts = new Map<string, ChartImageRef>();
  for (const section of sections) {
    if (section.chart === null) continue;
    const spec = barChartSpec({ ...section.chart, seriesLabel: section.title });
    if (options.imageMode === 'quickchart-url') {
      charts.set(section.key, { src: quickChartUrl(spec, options.quickChartUrl ?? ''), width: spec.width });
      continue;
    }
    const png = renderChartPng(spec);
    if (options.imageMode === 'inline-data-uri') {
      charts.set(section.key, { src: `data:image/png;base64,${png.toString('base64')}`, width: spec.width });
    } else {
      const cid = chartContentId(data.date, section.key);
      images.push({ cid, filename: `${section.key}-${data.date}.png`, png });
      charts.set(section.key, { src: `cid:${cid}`, width: spec.width });
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
  const html = await compileMjml(
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
  // The archive (images inline) must read the same anywhere, so it carries its own font; the email does
  // not: most clients ignore web fonts, and the subset would only make every message bigger.
  const archived =
    options.imageMode === 'inline-data-uri' ? withFontFace(html, await embeddedFontFace(html)) : html;
  const text = reportText({ locale: data.locale, title, headline, sections, footnote });
  return { subject: reportSubject(data.locale, data.date), html: archived, text, images };
}

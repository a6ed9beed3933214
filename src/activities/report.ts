import type { ReportStore } from '../adapters/reportStore/port';
import type { Warehouse } from '../adapters/warehouse/port';
import type { ReportLocale } from '../report/types';
import { Context } from '@temporalio/activity';
import { archiveEntry, updateArchiveIndex } from '../report/archiveIndex';
import { emailRenditionKey, serializeRendition } from '../report/emailRendition';
import { RENDER_TIMEOUT_MS, renderReportInChild } from '../report/renderInChild';
import type { RenderOptions } from '../report/types';
import { whileHeartbeating } from './heartbeat';
import { readReportData } from './mart';

export interface RenderReportInput {
  readonly date: string;
}

export interface RenderedReportRef {
  readonly date: string;
  /** Where the archived HTML landed (a file path or an s3:// URI). */
  readonly location: string;
  readonly bytes: number;
  readonly subject: string;
}

/**
 * Renders the day's report from the mart once: the email (CID images, or QuickChart URLs) and, from the same
 * compiled HTML, the archive: one self-contained file (charts as data URIs, the font subset embedded) that opens
 * offline in any browser. Both are stored (`D.html`, `D.email.json`); `sendReport` sends the stored email, so the
 * archive is what staff received. Only this reference travels through Temporal. The archive's index page
 * (`index.html`, beside the reports) is rewritten with the day's headline numbers.
 */
export function createReportActivities(deps: {
  warehouse: Warehouse;
  reportStore: ReportStore;
  locale: ReportLocale;
  quickChartUrl?: string;
}) {
  async function renderReport(input: RenderReportInput): Promise<RenderedReportRef> {
    const data = await readReportData(deps.warehouse, { date: input.date, locale: deps.locale });
    const rendered = await whileHeartbeating(() =>
      renderReportInChild(
        data,
        { ...emailRenderOptions(deps.quickChartUrl), withArchive: true },
        renderTimeLimitMs(),
      ),
    );
    const archiveHtml = rendered.archiveHtml ?? rendered.html;
    await deps.reportStore.put(
      emailRenditionKey(input.date),
      serializeRendition(rendered),
      'application/json; charset=utf-8',
    );
    const location = await deps.reportStore.put(
      `${input.date}.html`,
      archiveHtml,
      'text/html; charset=utf-8',
    );
    await updateArchiveIndex(deps.reportStore, archiveEntry(input.date, data.headline), deps.locale);
    return { date: input.date, location, bytes: Buffer.byteLength(archiveHtml), subject: rendered.subject };
  }
  return { renderReport };
}

/** How the emailed report carries its charts: PNG attachments, or QuickChart URLs when a server is configured. */
export function emailRenderOptions(quickChartUrl: string | undefined): RenderOptions {
  return quickChartUrl ? { imageMode: 'quickchart-url', quickChartUrl } : { imageMode: 'cid' };
}

/**
 * How long the renderer child may take inside this attempt: half its start-to-close timeout (at most the
 * renderer's own limit), so a hung renderer is killed and reported while the attempt can still say why.
 */
export function renderTimeLimitMs(): number {
  const { startToCloseTimeoutMs } = Context.current().info;
  return Math.min(RENDER_TIMEOUT_MS, Math.floor(startToCloseTimeoutMs / 2));
}

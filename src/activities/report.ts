import type { ReportStore } from '../adapters/reportStore/port';
import type { Warehouse } from '../adapters/warehouse/port';
import type { ReportLocale } from '../report/types';
import { Context } from '@temporalio/activity';
import { archiveEntry, updateArchiveIndex } from '../report/archiveIndex';
import { RENDER_TIMEOUT_MS, renderReportInChild } from '../report/renderInChild';
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
 * Renders the day's report from the mart and archives it as one self-contained HTML file (charts as data
 * URIs) that opens offline in any browser. The email is rendered again at send time, from the same mart
 * rows, with CID images: only this reference travels through Temporal. The archive's index page
 * (`index.html`, beside the reports) is rewritten with the day's headline numbers.
 */
export function createReportActivities(deps: {
  warehouse: Warehouse;
  reportStore: ReportStore;
  locale: ReportLocale;
}) {
  async function renderReport(input: RenderReportInput): Promise<RenderedReportRef> {
    const data = await readReportData(deps.warehouse, { date: input.date, locale: deps.locale });
    const rendered = await whileHeartbeating(() =>
      renderReportInChild(data, { imageMode: 'inline-data-uri' }, renderTimeLimitMs()),
    );
    const location = await deps.reportStore.put(
      `${input.date}.html`,
      rendered.html,
      'text/html; charset=utf-8',
    );
    await updateArchiveIndex(deps.reportStore, archiveEntry(input.date, data.headline), deps.locale);
    return { date: input.date, location, bytes: Buffer.byteLength(rendered.html), subject: rendered.subject };
  }
  return { renderReport };
}

/**
 * How long the renderer child may take inside this attempt: half its start-to-close timeout (at most the
 * renderer's own limit), so a hung renderer is killed and reported while the attempt can still say why.
 */
export function renderTimeLimitMs(): number {
  const { startToCloseTimeoutMs } = Context.current().info;
  return Math.min(RENDER_TIMEOUT_MS, Math.floor(startToCloseTimeoutMs / 2));
}

import type { Client, WorkflowHandle } from '@temporalio/client';
import type { Config } from '../config/config';
import { startPoller, withPollDeadline } from './poller';
import { createProgressBar } from './progressBar';
import { searchAttributesUsable } from '../temporal/searchAttributes';
import { reportDateAttributes } from '../workflows/searchAttributes';
import { readDayProgress } from '../temporal/dayProgress';
import {
  dailyReport,
  dailyReportId,
  type DailyReportInput,
  type DailyReportResult,
} from '../workflows/dailyReport';

export interface StartDailyOptions {
  readonly input: DailyReportInput;
  /** Where progress lines go (stderr), so stdout stays clean for `--json`. */
  readonly progress?: NodeJS.WriteStream | null;
}

/**
 * Starts (or joins, when the day is already running) the day's workflow and waits for its result, showing
 * progress: the stage, segments done and items/s (see `readDayProgress`).
 */
export async function runDailyReportWorkflow(
  client: Client,
  config: Config,
  options: StartDailyOptions,
): Promise<DailyReportResult> {
  // A namespace nobody ran `libreport setup` on still gets its report, unmarked (the worker log says how to fix it).
  const marked = await searchAttributesUsable(client, config.temporal.namespace);
  const handle = await client.workflow.start(dailyReport, {
    workflowId: dailyReportId(options.input.date),
    taskQueue: config.temporal.taskQueue,
    // The stages' timeouts are this process's configuration, unless the caller chose others.
    args: [{ timeouts: config.timeouts, ...(marked ? {} : { searchAttributes: false }), ...options.input }],
    // A second start for a running day joins the first instead of loading the day twice.
    workflowIdConflictPolicy: 'USE_EXISTING',
    // Findable by day in the Web UI from its first event.
    typedSearchAttributes: marked ? reportDateAttributes(options.input.date) : [],
  });
  const stream = options.progress;
  if (!stream) return handle.result();
  const watcher = watchProgress(client, handle, stream, config.cli.progressIntervalMs);
  try {
    return await handle.result();
  } finally {
    // Waits for a poll in flight: the caller closes the connection next.
    await watcher.stop();
  }
}

function watchProgress(
  client: Client,
  handle: WorkflowHandle<typeof dailyReport>,
  stream: NodeJS.WriteStream,
  intervalMs: number,
): { stop(): Promise<void> } {
  const started = Date.now();
  const bar = createProgressBar({ label: 'segments', stream });
  // A failed poll is not worth a word: the workflow may not have started its first task yet; the next tries again.
  const poller = startPoller(async () => {
    const progress = await withPollDeadline(client, () => readDayProgress(handle));
    if (!progress) return;
    const items = progress.itemsRead;
    const perSecond = Math.round(items / Math.max((Date.now() - started) / 1000, 0.001));
    bar.update(
      progress.segmentsDone,
      progress.segmentsTotal,
      `${progress.stage}, ${items.toLocaleString('en-US')} items, ${perSecond.toLocaleString('en-US')} items/s`,
    );
  }, intervalMs);
  return {
    async stop() {
      await poller.stop();
      bar.finish();
    },
  };
}

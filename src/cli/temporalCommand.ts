import type { Client } from '@temporalio/client';
import type { Config } from '../config/config';
import { assertDayIsOver, parseReportDate } from '../domain/reportDate';
import { connectClient } from '../temporal/connection';
import { runWorker } from '../worker/runWorker';

/** Runs `work` with a Temporal client and always closes its connection, so the command can exit. */
export async function withClient<T>(config: Config, work: (client: Client) => Promise<T>): Promise<T> {
  const client = await connectClient(config);
  try {
    return await work(client);
  } finally {
    await client.connection.close();
  }
}

/** The Temporal Web UI page of a workflow. */
export function workflowLink(config: Config, workflowId: string): string {
  return `${config.temporal.uiUrl}/namespaces/${encodeURIComponent(config.temporal.namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}

/** `--json` output: one pretty-printed document on stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/**
 * Runs `work` with a client and, unless `inProcessWorker` is false, a worker in this process for the
 * duration, so `run` and `resend` work with nothing else running. A worker that cannot start (the
 * warehouse is down, say) ends the command instead of leaving it waiting for a worker that never comes.
 */
export async function withClientAndWorker<T>(
  config: Config,
  inProcessWorker: boolean,
  work: (client: Client) => Promise<T>,
): Promise<T> {
  return withClient(config, async (client) => {
    const controller = new AbortController();
    const worker = inProcessWorker ? runWorker(config, { signal: controller.signal }) : undefined;
    try {
      const stopped = worker?.then(() =>
        Promise.reject(new Error('the in-process worker stopped unexpectedly')),
      );
      return await Promise.race([work(client), ...(stopped ? [stopped] : [])]);
    } finally {
      controller.abort();
      await worker?.catch(() => undefined);
    }
  });
}

/** A `--date` the user typed: a real calendar day that is over in the report's time zone. */
export function finishedDayOption(text: string, config: Config): string {
  return assertDayIsOver(parseReportDate(text, '--date'), config.report.timeZone, new Date(), '--date');
}

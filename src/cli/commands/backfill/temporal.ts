import {
  isGrpcDeadlineError,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  type Client,
  type WorkflowHandle,
} from '@temporalio/client';
import type { Config } from '../../../config/config';
import { MissingResourceError, ServiceUnavailableError, UserInputError } from '../../../errors';
import { searchAttributesUsable } from '../../../temporal/searchAttributes';
import {
  backfill,
  backfillWorkflowId,
  progress,
  type BackfillInput,
  type BackfillProgress,
} from '../../../workflows/backfill';
import { withPollDeadline } from '../../poller';
import { createProgressBar } from '../../progressBar';
import { noteFor, settledCount } from './formatProgress';

/** How long to wait for a worker to answer the progress query before saying none is running. */
const QUERY_TIMEOUT_MS = 15_000;
/** How often a waiting `libreport backfill` asks for progress. */
const POLL_INTERVAL_MS = 1_000;

/** Starts a backfill workflow; a backfill of the same id that is still running is refused, not joined. */
export async function startBackfill(
  client: Client,
  config: Config,
  input: BackfillInput,
): Promise<WorkflowHandle<typeof backfill>> {
  try {
    return await client.workflow.start(backfill, {
      workflowId: backfillWorkflowId(input.backfillId),
      taskQueue: config.temporal.taskQueue,
      // Every day's run gets this process's stage timeouts, unless the input chose others; and no search
      // attributes when the namespace lacks them.
      args: [
        {
          ...input,
          day: {
            timeouts: config.timeouts,
            ...((await searchAttributesUsable(client, config.temporal.namespace))
              ? {}
              : { searchAttributes: false }),
            ...input.day,
          },
        },
      ],
    });
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) {
      throw new UserInputError(
        `backfill ${input.backfillId} is already running; add days with "libreport backfill add ${input.backfillId} --from … --to …" or choose another --id`,
      );
    }
    throw error;
  }
}

/** The backfill's progress: from the running workflow, or the result of a finished one. */
export async function readProgress(client: Client, backfillId: string): Promise<BackfillProgress> {
  const handle = client.workflow.getHandle<typeof backfill>(backfillWorkflowId(backfillId));
  const status = await describeStatus(handle, backfillId);
  if (status === 'RUNNING') return queryProgress(client, handle);
  if (status === 'COMPLETED') return handle.result();
  throw new MissingResourceError(
    `backfill ${backfillId} ended ${status.toLowerCase()} without a result; see ${handle.workflowId} in the Temporal UI`,
  );
}

export async function runningBackfill(
  client: Client,
  backfillId: string,
): Promise<WorkflowHandle<typeof backfill>> {
  const handle = client.workflow.getHandle<typeof backfill>(backfillWorkflowId(backfillId));
  const status = await describeStatus(handle, backfillId);
  if (status !== 'RUNNING') {
    throw new UserInputError(
      `backfill ${backfillId} is no longer running (${status.toLowerCase()}); start a new one with "libreport backfill --from … --to …"`,
    );
  }
  return handle;
}

async function describeStatus(handle: WorkflowHandle, backfillId: string): Promise<string> {
  try {
    return (await handle.describe()).status.name;
  } catch (error) {
    if (error instanceof WorkflowNotFoundError)
      throw new MissingResourceError(`no backfill with id "${backfillId}"`);
    throw error;
  }
}

/**
 * Queries progress; a query nobody answers means no worker is polling. A deadline, not a racing timer: the
 * call itself ends by then, so nothing is left retrying when the command closes its connection.
 */
export async function queryProgress(
  client: Client,
  handle: WorkflowHandle<typeof backfill>,
): Promise<BackfillProgress> {
  try {
    return await client.withDeadline(Date.now() + QUERY_TIMEOUT_MS, () => handle.query(progress));
  } catch (error) {
    if (!isGrpcDeadlineError(error)) throw error;
    throw new ServiceUnavailableError(
      'no worker answered the progress query; is "libreport worker" (or "libreport start") running?',
    );
  }
}

/** Redraws a bar until the backfill ends, then returns its result. */
export async function watch(
  client: Client,
  handle: WorkflowHandle<typeof backfill>,
): Promise<BackfillProgress> {
  const bar = createProgressBar({ label: 'days', stream: process.stderr });
  let finished = false;
  const result = handle.result().finally(() => {
    finished = true;
  });
  while (!finished) {
    try {
      const current = await withPollDeadline(client, () => handle.query(progress));
      bar.update(settledCount(current), current.total, noteFor(current));
    } catch {
      // A query can fail between continue-as-new runs; the next poll asks the new run.
    }
    await Promise.race([
      result.catch(() => undefined),
      new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS)),
    ]);
  }
  const final = await result;
  bar.update(settledCount(final), final.total, noteFor(final));
  bar.finish();
  return final;
}

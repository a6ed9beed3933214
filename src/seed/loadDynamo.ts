import { isThrottling, type RawItem, type SearchTable } from '../adapters/dynamo/port';
import { ServiceUnavailableError } from '../errors';

/** DynamoDB's limit on items per BatchWriteItem call. */
export const BATCH_SIZE = 25;

export interface DynamoLoaderOptions {
  /** Batch writes in flight at once; more only helps until the server is saturated. */
  readonly concurrency: number;
  /** Attempts per batch before giving up (unprocessed items and throttling both count). */
  readonly maxAttempts?: number;
  /** First retry delay; doubles per attempt up to `maxDelayMs`, with jitter. */
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  /** Called with the number of items each time some are durably written. */
  readonly onWritten?: (count: number) => void;
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface DynamoLoadStats {
  readonly items: number;
  readonly batches: number;
  /** Items DynamoDB returned unprocessed and that were written on a later attempt. */
  readonly retriedItems: number;
  /** Calls refused with a throttling error and retried. */
  readonly throttledCalls: number;
}

/**
 * Writes items in batches of 25 with a bounded number of batches in flight. `add` resolves only
 * when there is room for more, so a fast producer waits instead of queueing: memory stays flat
 * however many items pass through.
 */
export interface DynamoLoader {
  add(item: RawItem): Promise<void>;
  /** Writes what is buffered, waits for every batch, and throws the first failure if any. */
  finish(): Promise<DynamoLoadStats>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createDynamoLoader(table: SearchTable, options: DynamoLoaderOptions): DynamoLoader {
  const maxAttempts = options.maxAttempts ?? 10;
  const baseDelayMs = options.baseDelayMs ?? 50;
  const maxDelayMs = options.maxDelayMs ?? 5_000;
  const sleep = options.sleep ?? defaultSleep;
  const inFlight = new Set<Promise<void>>();
  let buffer: RawItem[] = [];
  let failure: unknown;
  const stats = { items: 0, batches: 0, retriedItems: 0, throttledCalls: 0 };

  async function writeWithRetries(batch: RawItem[]): Promise<void> {
    let pending = batch;
    for (let attempt = 1; ; attempt++) {
      let left: RawItem[];
      try {
        left = await table.writeBatch(pending);
      } catch (error) {
        if (!isThrottling(error) || attempt >= maxAttempts) throw error;
        stats.throttledCalls++;
        await sleep(backoff(attempt));
        continue;
      }
      const written = pending.length - left.length;
      stats.items += written;
      if (written > 0) options.onWritten?.(written);
      if (left.length === 0) return;
      if (attempt >= maxAttempts) {
        throw new ServiceUnavailableError(
          `DynamoDB table "${table.tableName}" left ${left.length} items unprocessed after ${attempt} attempts; it is overloaded, try a lower --concurrency`,
        );
      }
      stats.retriedItems += left.length;
      pending = left;
      await sleep(backoff(attempt));
    }
  }

  function backoff(attempt: number): number {
    // Full jitter keeps parallel writers from retrying in lock-step.
    return Math.random() * Math.min(maxDelayMs, baseDelayMs * 2 ** attempt);
  }

  async function dispatchWhenRoom(): Promise<void> {
    while (inFlight.size >= options.concurrency) await Promise.race(inFlight);
    if (!failure) dispatch();
  }

  function dispatch(): void {
    const batch = buffer;
    buffer = [];
    stats.batches++;
    const task: Promise<void> = writeWithRetries(batch)
      .catch((error: unknown) => {
        failure ??= error;
      })
      .finally(() => inFlight.delete(task));
    inFlight.add(task);
  }

  return {
    async add(item: RawItem): Promise<void> {
      if (failure) throw failure;
      buffer.push(item);
      if (buffer.length < BATCH_SIZE) return;
      await dispatchWhenRoom();
      if (failure) throw failure;
    },
    async finish(): Promise<DynamoLoadStats> {
      if (buffer.length > 0 && !failure) await dispatchWhenRoom();
      await Promise.all(inFlight);
      if (failure) throw failure;
      return { ...stats };
    },
  };
}

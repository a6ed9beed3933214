import { Context } from '@temporalio/activity';
import type {
  DayQueryPageRequest,
  RawItem,
  ScanPageRequest,
  SearchTable,
} from '../../../src/adapters/dynamo/port';

/**
 * A SearchTable that counts page requests per segment and activity attempt: Scan pages by segment, day-index
 * Query pages by their range's number (the range of `segment-N` is range N).
 */
export interface CountingSearchTable extends SearchTable {
  /** Page requests made by the highest attempt of `segment` seen so far (0 when this worker never ran it). */
  finalAttemptCalls(segment: number): number;
}

export function countingSearchTable(inner: SearchTable): CountingSearchTable {
  const calls = new Map<number, { attempt: number; calls: number }>();
  const count = (segment: number) => {
    const { attempt } = Context.current().info;
    const seen = calls.get(segment);
    if (!seen || seen.attempt < attempt) calls.set(segment, { attempt, calls: 1 });
    else if (seen.attempt === attempt) seen.calls++;
  };
  return {
    ...inner,
    async scanPage(request: ScanPageRequest) {
      count(request.segment);
      return inner.scanPage(request);
    },
    async queryDayPage(request: DayQueryPageRequest) {
      count(request.range.index);
      return inner.queryDayPage(request);
    },
    finalAttemptCalls: (segment) => calls.get(segment)?.calls ?? 0,
  };
}

function throttlingError(): Error {
  const error = new Error('The level of configured provisioned throughput for the table was exceeded');
  error.name = 'ProvisionedThroughputExceededException';
  return error;
}

/** A SearchTable that refuses every page request with DynamoDB's throttling error for `windowMs` after the first. */
export interface ThrottlingSearchTable extends SearchTable {
  readonly refusals: () => number;
}

export function throttlingSearchTable(inner: SearchTable, windowMs: number): ThrottlingSearchTable {
  let firstCall: number | undefined;
  let refusals = 0;
  const gate = () => {
    firstCall ??= Date.now();
    if (Date.now() - firstCall < windowMs) {
      refusals++;
      throw throttlingError();
    }
  };
  return {
    ...inner,
    async scanPage(request) {
      gate();
      return inner.scanPage(request);
    },
    refusals: () => refusals,
  };
}

/**
 * A SearchTable whose first page of `segment` also carries `garbage` items. It depends on the request only,
 * so a retried attempt sees the same page again, as it would from a table holding those items.
 */
export function withMalformedFirstPage(
  inner: SearchTable,
  segment: number,
  garbage: readonly RawItem[],
): SearchTable {
  return {
    ...inner,
    async scanPage(request) {
      const page = await inner.scanPage(request);
      if (request.segment !== segment || request.startKey !== undefined) return page;
      // Rebuilt around other items, the page leaves out its wire bytes (which hold only the real ones).
      return {
        items: [...page.items, ...garbage],
        scannedCount: page.scannedCount,
        lastEvaluatedKey: page.lastEvaluatedKey,
      };
    },
  };
}

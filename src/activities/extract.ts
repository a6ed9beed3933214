import { Context } from '@temporalio/activity';
import {
  isThrottling,
  type KeyRange,
  type RawItem,
  type ScanPage,
  type SearchTable,
} from '../adapters/dynamo/port';
import { countWarehouseWork, type StatementCounts } from '../adapters/warehouse/statementCounts';
import { dayKeyRanges } from '../domain/dayRanges';
import type { Warehouse } from '../adapters/warehouse/port';
import { ExplodedBatch, type RowSink } from './explode';
import { heartbeatIntervalMs } from './heartbeat';
import { UserInputError } from '../errors';
import { zeroCounts, type SegmentCounts } from './segmentCounts';
import { segmentSink, type SegmentCheckpoint } from './segmentSinks';
import { SEGMENT_KINDS, stagingTables } from './sql/staging';

/** How a day is read: `index` queries the day index by key ranges, `scan` scans the whole table. */
export type ReadPath = 'index' | 'scan';

export interface PlanScanInput {
  readonly date: string;
  /** Requested segment (or range) count; 0 sizes it to the table. */
  readonly segments: number;
  /** `auto` (the default): the index when DescribeTable says it is active, else the scan. */
  readonly path?: ReadPath | 'auto';
}

export interface ScanPlan {
  readonly totalSegments: number;
  readonly tableItemCount: number;
  /** Absent in plans made before the day index existed: those scanned. */
  readonly path?: ReadPath;
  /** With the index: one key range per segment, `ranges[n]` read by `segment-n`. */
  readonly ranges?: readonly KeyRange[];
}

export interface ScanSegmentInput {
  readonly date: string;
  readonly runKey: string;
  readonly segment: number;
  readonly totalSegments: number;
  /** Items per DynamoDB page request; unset lets DynamoDB fill 1 MB pages. */
  readonly pageLimit?: number;
  /** Set: this segment is a range of the day index (Query), not a segment of the table (Scan). */
  readonly range?: KeyRange;
}

export interface SegmentResult extends SegmentCounts {
  readonly segment: number;
  readonly pages: number;
  /** The page this attempt resumed after (0 when it started from the beginning). */
  readonly resumedAfterPage: number;
  readonly throttled: number;
  readonly durationMs: number;
  /** What this attempt cost the warehouse (a resumed segment counts only its last attempt). */
  readonly warehouse?: StatementCounts;
}

export type { SegmentCheckpoint } from './segmentSinks';
export { zeroCounts, type SegmentCounts } from './segmentCounts';

/** How often a segment heartbeats at most while a page is in flight (more often under a short heartbeat timeout). */
const PAGE_HEARTBEAT_MS = 5_000;
/** Items one segment should cover at most, for the default segment count. Tuned in `npm run bench`. */
const ITEMS_PER_SEGMENT = 250_000;
const MIN_SEGMENTS = 2;
const MAX_SEGMENTS = 64;
/**
 * Ranges of the day index when none are asked for. Every range reads the same index key (the day), whose
 * partition serves about 3,000 RU/s however many readers it has, so more ranges only hide latency.
 */
const DEFAULT_RANGES = 4;
/** Throttling back-off: from 100 ms doubling to 5 s; after 10 minutes of refusals the attempt fails and Temporal retries. */
const THROTTLE_BASE_MS = 100;
const THROTTLE_CAP_MS = 5_000;
const THROTTLE_GIVE_UP_MS = 10 * 60_000;

export function defaultSegmentCount(itemCount: number): number {
  return Math.min(MAX_SEGMENTS, Math.max(MIN_SEGMENTS, Math.ceil(itemCount / ITEMS_PER_SEGMENT)));
}

export function createExtractActivities(deps: {
  searchTable: SearchTable;
  warehouse: Warehouse;
  /** S3 staging only: pages per COPY round (tests make rounds small to reach their boundaries). */
  stagedPagesPerCopy?: number;
}) {
  const { searchTable, warehouse, stagedPagesPerCopy } = deps;

  /** Checks the table exists and decides the segment count. */
  async function planScan(input: PlanScanInput): Promise<ScanPlan> {
    const description = await searchTable.describe();
    const wanted = input.path ?? 'auto';
    if (wanted === 'index' && description.dayIndex !== 'active') {
      throw new UserInputError(
        `the day index of ${searchTable.tableName} is ${description.dayIndex}; read the day with the scan, or add the index ("libreport dynamo add-index") and wait until it is active`,
      );
    }
    if (wanted !== 'scan' && description.dayIndex === 'active') {
      const ranges = dayKeyRanges(input.segments > 0 ? input.segments : DEFAULT_RANGES);
      return { totalSegments: ranges.length, tableItemCount: description.itemCount, path: 'index', ranges };
    }
    const totalSegments = input.segments > 0 ? input.segments : defaultSegmentCount(description.itemCount);
    return { totalSegments, tableItemCount: description.itemCount, path: 'scan' };
  }

  /**
   * Reads one segment of the table (Scan) or one key range of the day index (Query) for one day, explodes each page and appends it to the run's staging
   * tables in one transaction with the segment's checkpoint (also sent as the heartbeat detail): a page is
   * in staging exactly when its checkpoint is. A retry resumes after the last checkpoint, so at most the
   * one page a dead attempt was writing is read twice.
   */
  async function scanSegment(input: ScanSegmentInput): Promise<SegmentResult> {
    const context = Context.current();
    const started = Date.now();
    const sink = segmentSink(warehouse, stagingTables(input.runKey), input.segment, stagedPagesPerCopy);
    // The sink's checkpoint (in the warehouse, or in S3 beside the staged pages) is written after the page's
    // rows, so it is authoritative. The heartbeat detail carries the same checkpoint for the Web UI, but the SDK
    // throttles heartbeats, so it may lag behind.
    const checkpoint = (await sink.resumePoint()) ?? { page: 0, counts: zeroCounts() };
    const range = input.range;
    // Checkpoints written before `itemsRead` existed lack it.
    const counts: SegmentCounts = { ...zeroCounts(), ...checkpoint.counts };
    let page = checkpoint.page;
    let lastKey = checkpoint.lastKey;
    let throttled = 0;

    if (page > 0) context.log.info('resuming segment from checkpoint', { segment: input.segment, page });

    // A page can take longer than the heartbeat timeout on a slow warehouse (Redshift's S3 COPY): a timer keeps
    // the last committed checkpoint beating, so only a dead worker is timed out.
    let committed: SegmentCheckpoint = { ...checkpoint, counts: { ...counts } };
    const beat = setInterval(() => context.heartbeat(committed), heartbeatIntervalMs(PAGE_HEARTBEAT_MS));
    try {
      // A checkpoint with no last key is a finished segment whose completion was lost: there is nothing left to read.
      while (page === 0 || lastKey) {
        // A timed-out attempt learns of it through its rejected heartbeat: stop before writing next to the retry.
        context.cancellationSignal.throwIfAborted();
        const { batch, lastEvaluatedKey, scannedCount } = await readPage(lastKey);
        page++;
        addBatch(counts, batch);
        counts.itemsRead += scannedCount;
        lastKey = lastEvaluatedKey;
        committed = await sink.commitPage(batch, { ...committed, page, lastKey, counts: { ...counts } });
        context.heartbeat(committed);
      }
      await sink.finish(committed);
    } finally {
      clearInterval(beat);
    }

    return {
      segment: input.segment,
      ...counts,
      pages: page,
      resumedAfterPage: checkpoint.page,
      throttled,
      durationMs: Date.now() - started,
    };

    /**
     * Fetches and explodes the page after `startKey`. The page's items stay inside this call, so they die young
     * while the batch, already encoded off-heap, waits for its COPY.
     */
    async function readPage(startKey: RawItem | undefined) {
      const result = await withThrottleBackoff(
        (): Promise<ScanPage> =>
          range
            ? searchTable.queryDayPage({ queryDate: input.date, range, startKey, limit: input.pageLimit })
            : searchTable.scanPage({
                segment: input.segment,
                totalSegments: input.totalSegments,
                queryDate: input.date,
                startKey,
                limit: input.pageLimit,
              }),
        () => {
          throttled++;
          context.heartbeat(committed);
        },
      );
      const batch = new ExplodedBatch(() => warehouse.encoder());
      batch.addPage(result, input.date);
      return { batch, lastEvaluatedKey: result.lastEvaluatedKey, scannedCount: result.scannedCount };
    }
  }

  return {
    planScan,
    scanSegment: async (input: ScanSegmentInput): Promise<SegmentResult> => {
      const [result, warehouseCounts] = await countWarehouseWork(() => scanSegment(input));
      return { ...result, warehouse: warehouseCounts };
    },
  };
}

function addBatch(counts: SegmentCounts, batch: ExplodedBatch<RowSink>): void {
  counts.itemsSeen += batch.itemsSeen;
  counts.elementsSeen += batch.elementsSeen;
  counts.itemsQuarantined += batch.itemsQuarantined;
  counts.elementsQuarantined += batch.elementsQuarantined;
  for (const kind of SEGMENT_KINDS) counts[kind] += batch[kind].length;
}

/** Retries `call` while DynamoDB throttles, with capped exponential back-off and jitter. */
async function withThrottleBackoff<T>(call: () => Promise<T>, onThrottled: () => void): Promise<T> {
  const context = Context.current();
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!isThrottling(error) || Date.now() - started > THROTTLE_GIVE_UP_MS) throw error;
      onThrottled();
      const delay = Math.min(THROTTLE_CAP_MS, THROTTLE_BASE_MS * 2 ** attempt);
      await context.sleep(delay / 2 + Math.random() * (delay / 2));
    }
  }
}

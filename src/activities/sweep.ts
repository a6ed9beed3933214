import { Context } from '@temporalio/activity';
import type { RawItem, SearchTable } from '../adapters/dynamo/port';
import type { Warehouse } from '../adapters/warehouse/port';
import { ExplodedBatch } from './explode';
import { heartbeatIntervalMs } from './heartbeat';
import { STAGE_COLUMNS } from './sql/staging';
import { deleteUndatedByKeys, lockQuarantine } from './sql/sweep';

export interface SweepSegmentInput {
  readonly segment: number;
  readonly totalSegments: number;
  /** Items per Scan page (tests use small pages); unset: 1 MB pages. */
  readonly pageLimit?: number;
}

export interface SweepSegmentResult {
  readonly segment: number;
  /** Items the Scan read: the whole segment of the table. */
  readonly itemsRead: number;
  /** Items with no usable day, each now in `dw.quarantine` under no day with its reason. */
  readonly quarantined: number;
  readonly byReason: Record<string, number>;
  readonly pages: number;
}

/** The heartbeat detail: where the next attempt picks up (the sweep is idempotent, so losing it costs only time). */
interface SweepCheckpoint {
  readonly lastKey?: RawItem;
  readonly result: SweepSegmentResult;
}

/**
 * A real day that no swept item can carry (the sweep returns only items whose `query_date` is no real day), so
 * explode files every swept item under no day instead of loading it.
 */
const NO_SWEPT_ITEM_HAS_THIS_DAY = '1970-01-01';
const HEARTBEAT_MS = 5_000;

export function createSweepActivities(deps: { searchTable: SearchTable; warehouse: Warehouse }) {
  const { searchTable, warehouse } = deps;

  /**
   * Finds one Scan segment's items that the day index cannot see (no `query_date`, not a string, not a real day
   * such as `2024-02-30`) and files each in `dw.quarantine` under no day, replacing what an earlier sweep or
   * day scan filed for it. Each page commits on its own; a retry resumes from the heartbeat's key.
   */
  async function sweepSegment(input: SweepSegmentInput): Promise<SweepSegmentResult> {
    const context = Context.current();
    const resumed = context.info.heartbeatDetails as SweepCheckpoint | undefined;
    let lastKey = resumed?.lastKey;
    const result = {
      segment: input.segment,
      itemsRead: 0,
      quarantined: 0,
      byReason: {} as Record<string, number>,
      pages: 0,
      ...resumed?.result,
    };
    if (resumed && !lastKey) return result;
    let checkpoint: SweepCheckpoint = { lastKey, result: { ...result } };
    const beat = setInterval(() => context.heartbeat(checkpoint), heartbeatIntervalMs(HEARTBEAT_MS));
    try {
      do {
        context.cancellationSignal.throwIfAborted();
        const page = await searchTable.sweepPage({
          segment: input.segment,
          totalSegments: input.totalSegments,
          startKey: lastKey,
          limit: input.pageLimit,
        });
        result.pages++;
        result.itemsRead += page.scannedCount;
        if (page.items.length > 0) await fileUndated(page.items, result);
        lastKey = page.lastEvaluatedKey;
        checkpoint = { lastKey, result: { ...result, byReason: { ...result.byReason } } };
        context.heartbeat(checkpoint);
      } while (lastKey);
    } finally {
      clearInterval(beat);
    }
    return result;
  }

  async function fileUndated(
    items: readonly RawItem[],
    result: { quarantined: number; byReason: Record<string, number> },
  ) {
    // Plain rows, not encoded ones: few items have no day, and their reasons are read back for the result.
    const batch = new ExplodedBatch();
    for (const item of items) batch.add(item, NO_SWEPT_ITEM_HAS_THIS_DAY);
    const keys = items.flatMap((item) => (item.query_id && 'S' in item.query_id ? [item.query_id.S] : []));
    await warehouse.transaction(async (tx) => {
      // Day loads delete and insert undated rows too: one writer at a time.
      await tx.query(lockQuarantine(warehouse.dialect));
      if (keys.length > 0) await tx.query(deleteUndatedByKeys(keys.length), keys);
      await tx.copyIn('dw.quarantine', STAGE_COLUMNS.quarantine, batch.quarantine);
    });
    result.quarantined += batch.itemsQuarantined;
    for (const row of batch.quarantine) {
      const reason = String(row[3]);
      result.byReason[reason] = (result.byReason[reason] ?? 0) + 1;
    }
  }

  return { sweepSegment };
}

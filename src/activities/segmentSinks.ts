import type { RawItem } from '../adapters/dynamo/port';
import type { EncodedRows } from '../adapters/warehouse/encodedRows';
import type { StagedLoads, Transaction, Warehouse } from '../adapters/warehouse/port';
import { TransientConflictError } from '../errors';
import type { ExplodedBatch } from './explode';
import type { SegmentCounts } from './segmentCounts';
import {
  countCheckpoints,
  deleteCheckpoint,
  insertCheckpoint,
  lockCheckpoints,
  SEGMENT_KINDS,
  selectCheckpoint,
  STAGE_COLUMNS,
  type StagingTables,
} from './sql/staging';

/**
 * Where a scan segment's pages go and where its resume point is kept. On PostgreSQL every page is COPYed
 * into staging with its checkpoint in one transaction. On Redshift, where a COPY costs a statement, a
 * session and seconds, each page is uploaded to S3 and checkpointed there, and the staged pages are COPYed
 * into staging together, once every `STAGED_PAGES_PER_COPY` pages and at the segment's end.
 */

/** A page uploaded to S3 but not yet COPYed: its page number and the staged objects it made. */
export interface StagedPage {
  readonly page: number;
  readonly names: readonly string[];
}

/** The heartbeat detail: enough to resume after the last page whose rows were committed. */
export interface SegmentCheckpoint {
  readonly page: number;
  readonly lastKey?: RawItem;
  readonly counts: SegmentCounts;
  /** S3 staging: the pages after the last COPY, whose objects a resumed attempt COPYs without re-reading. */
  readonly staged?: readonly StagedPage[];
}

export interface SegmentSink {
  /** The checkpoint to resume after, if an earlier attempt left one. */
  resumePoint(): Promise<SegmentCheckpoint | undefined>;
  /** Makes the page durable with its checkpoint and returns the checkpoint as it now stands. */
  commitPage(batch: ExplodedBatch<EncodedRows>, checkpoint: SegmentCheckpoint): Promise<SegmentCheckpoint>;
  /** After the last page: whatever is staged but not loaded is loaded. */
  finish(checkpoint: SegmentCheckpoint): Promise<void>;
}

/**
 * Pages staged in S3 per COPY round. A round loads each table with one COPY, so a segment of up to this many
 * pages (1 MB pages: ~250,000 items, the default segment size) costs one round. The bound keeps the
 * checkpoint (it lists the round's objects, ~300 bytes a page) well under Temporal's heartbeat size limits.
 */
export const STAGED_PAGES_PER_COPY = 128;

export function segmentSink(
  warehouse: Warehouse,
  tables: StagingTables,
  segment: number,
  pagesPerCopy = STAGED_PAGES_PER_COPY,
): SegmentSink {
  return warehouse.stagedLoads
    ? s3StagedSink(warehouse, warehouse.stagedLoads, tables, segment, pagesPerCopy)
    : warehouseSink(warehouse, tables, segment);
}

/** Each page COPYed into staging with its checkpoint, in one transaction (PostgreSQL). */
function warehouseSink(warehouse: Warehouse, tables: StagingTables, segment: number): SegmentSink {
  return {
    resumePoint: () => readWarehouseCheckpoint(warehouse, tables, segment),
    async commitPage(batch, checkpoint) {
      await commitPage(warehouse, tables, segment, batch, checkpoint);
      return checkpoint;
    },
    finish: async () => undefined,
  };
}

/**
 * S3 staging (Redshift). A page's rows go up as one object per table under names fixed by the run, segment
 * and page, then the segment's checkpoint object is overwritten with the page and the list of staged pages.
 * A COPY round loads the listed objects through manifests and moves the warehouse checkpoint to the round's
 * last page, in one transaction. So:
 * - a crash after a page's uploads but before its checkpoint re-reads that one page, whose objects are
 *   overwritten under the same names (a manifest lists names, so an object of a kind the re-read page
 *   no longer has is never loaded);
 * - a crash after the checkpoint but before the COPY re-reads nothing: the retry COPYs the listed pages;
 * - a crash after the COPY but before the objects are deleted leaves objects the run's cleanup removes, and
 *   the warehouse checkpoint, ahead of the S3 one, says they are loaded.
 */
function s3StagedSink(
  warehouse: Warehouse,
  staged: StagedLoads,
  tables: StagingTables,
  segment: number,
  pagesPerCopy: number,
): SegmentSink {
  const dir = `${tables.runKey}/segment-${segment}`;
  const checkpointName = `${dir}/checkpoint.json`;
  /** The page the warehouse checkpoint stands at: every staged page up to it is loaded. */
  let copiedPage = 0;

  async function copyRound(checkpoint: SegmentCheckpoint): Promise<void> {
    const pages = checkpoint.staged ?? [];
    const first = pages[0]?.page ?? checkpoint.page;
    const manifests: string[] = [];
    await warehouse.transaction(async (tx) => {
      for (const kind of SEGMENT_KINDS) {
        const names = pages.flatMap((p) => p.names.filter((name) => name.endsWith(`/${kind}.csv.gz`)));
        if (names.length === 0) continue;
        const manifest = `${dir}/manifest-${first}-${checkpoint.page}-${kind}.json`;
        manifests.push(manifest);
        await copyStaged(tx)(tables[kind], STAGE_COLUMNS[kind], manifest, names);
      }
      await moveCheckpoint(tx, tables, segment, copiedPage, checkpoint);
    });
    copiedPage = checkpoint.page;
    // The rows are loaded: the objects only cost storage now, and the run's cleanup removes any left behind.
    await staged.remove([...pages.flatMap((p) => p.names), ...manifests]).catch(() => undefined);
  }

  return {
    async resumePoint() {
      const loaded = await readWarehouseCheckpoint(warehouse, tables, segment);
      copiedPage = loaded?.page ?? 0;
      const uploaded = await staged.getJson<SegmentCheckpoint>(checkpointName);
      if (!uploaded || uploaded.page <= copiedPage) return loaded;
      // Pages listed as staged but already COPYed (a crash between a round's commit and the next checkpoint).
      return { ...uploaded, staged: (uploaded.staged ?? []).filter((p) => p.page > copiedPage) };
    },

    async commitPage(batch, checkpoint) {
      const names: string[] = [];
      for (const kind of SEGMENT_KINDS) {
        if (batch[kind].length === 0) continue;
        const name = `${dir}/page-${checkpoint.page}/${kind}.csv.gz`;
        await staged.put(name, batch[kind]);
        names.push(name);
      }
      const next: SegmentCheckpoint = {
        ...checkpoint,
        staged: [...(checkpoint.staged ?? []), { page: checkpoint.page, names }],
      };
      await staged.putJson(checkpointName, next);
      if (next.staged!.length < pagesPerCopy) return next;
      await copyRound(next);
      return { ...next, staged: [] };
    },

    async finish(checkpoint) {
      if (checkpoint.page > copiedPage) await copyRound(checkpoint);
    },
  };
}

function copyStaged(tx: Transaction): NonNullable<Transaction['copyStaged']> {
  if (!tx.copyStaged) throw new Error('the warehouse stages loads but its transactions cannot COPY them');
  return tx.copyStaged.bind(tx);
}

async function readWarehouseCheckpoint(
  warehouse: Warehouse,
  tables: StagingTables,
  segment: number,
): Promise<SegmentCheckpoint | undefined> {
  const rows = await warehouse.query<{ page: number; last_key: string | null; counts: string }>(
    selectCheckpoint(tables),
    [segment],
  );
  const row = rows[0];
  if (!row) return undefined;
  return {
    page: Number(row.page),
    lastKey: row.last_key ? (JSON.parse(row.last_key) as RawItem) : undefined,
    counts: JSON.parse(row.counts) as SegmentCounts,
  };
}

/**
 * Appends a page's rows to the run's staging tables in one transaction with the segment's new checkpoint, so
 * a page is in staging exactly when its checkpoint is. The page commits only on top of the checkpoint it
 * follows: two checkpoints mean another attempt of this segment (one timed out but still running) committed
 * a page first, and this one rolls back to resume from that checkpoint.
 */
export async function commitPage(
  warehouse: Warehouse,
  tables: StagingTables,
  segment: number,
  batch: ExplodedBatch<EncodedRows>,
  checkpoint: SegmentCheckpoint,
): Promise<void> {
  await warehouse.transaction(async (tx) => {
    for (const kind of SEGMENT_KINDS) {
      if (batch[kind].length > 0) await tx.copyIn(tables[kind], STAGE_COLUMNS[kind], batch[kind]);
    }
    await moveCheckpoint(tx, tables, segment, checkpoint.page - 1, checkpoint);
  });
}

/**
 * Replaces the segment's checkpoint at `fromPage` with `checkpoint`, inside the transaction that wrote its
 * rows. Two checkpoints afterwards mean another attempt of the segment moved it first: this one rolls back.
 */
async function moveCheckpoint(
  tx: Transaction,
  tables: StagingTables,
  segment: number,
  fromPage: number,
  checkpoint: SegmentCheckpoint,
): Promise<void> {
  const { page, lastKey, counts } = checkpoint;
  await tx.query(lockCheckpoints(tables));
  await tx.query(deleteCheckpoint(tables), [segment, fromPage]);
  await tx.query(insertCheckpoint(tables), [
    segment,
    page,
    lastKey ? JSON.stringify(lastKey) : null,
    JSON.stringify(counts),
  ]);
  const [{ n }] = await tx.query<{ n: string | number }>(countCheckpoints(tables), [segment]);
  if (Number(n) !== 1) {
    throw new TransientConflictError(
      `segment ${segment}: another attempt committed page ${page} first; resuming from its checkpoint`,
    );
  }
}

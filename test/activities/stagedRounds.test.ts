import { MockActivityEnvironment } from '@temporalio/testing';
import type { SearchTable } from '../../src/adapters/dynamo/port';
import { createExtractActivities, type SegmentResult } from '../../src/activities/extract';
import { SEGMENT_KINDS } from '../../src/activities/sql/staging';
import { createPgPool, pgWarehouse } from '../../src/adapters/warehouse/pgWarehouse';
import type { StagedLoads, Warehouse } from '../../src/adapters/warehouse/port';
import { createPipelineHarness, type PipelineHarness } from '../support/pipeline';
import { dayFixture } from '../support/searchItems';
import { prepareRun, stagedContents, stagedKeys } from './stagingProbe';

/**
 * S3 staging COPYs a segment's staged pages in rounds of `STAGED_PAGES_PER_COPY` (128) pages. These tests make a
 * round two pages, so a segment of 60 items in pages of 10 crosses three round boundaries, and crash an attempt
 * on each side of one. Whatever the crash, the retry reads at most one page again and the staging tables end
 * with exactly the rows of an uninterrupted attempt.
 */
const DAY = '2024-07-11';
const ITEMS = 60;
const PAGE_LIMIT = 10;
const PAGES_PER_COPY = 2;
const env = new MockActivityEnvironment();

describe('S3-staged COPY rounds on the redshift-data warehouse', () => {
  let h: PipelineHarness;
  let inspect: Warehouse;
  let clean: { result: SegmentResult; contents: Record<string, string>; reads: number };

  beforeAll(async () => {
    h = await createPipelineHarness('staged_rounds', {}, { warehouseKind: 'redshift-data' });
    inspect = pgWarehouse(createPgPool(h.warehouseDb.url));
    await h.putItems(dayFixture(DAY, ITEMS).items);
    const runKey = await prepare();
    const reads = countingReads();
    const result = await scan(runKey, h.ports.warehouse, reads.table);
    clean = { result, contents: await stagedContents(inspect, runKey), reads: reads.count() };
  });

  afterAll(async () => {
    await inspect?.close();
    await h?.close();
  });

  const prepare = () => prepareRun(h, env, DAY);

  const scan = (runKey: string, warehouse: Warehouse, searchTable: SearchTable = h.ports.searchTable) =>
    env.run(
      createExtractActivities({ searchTable, warehouse, stagedPagesPerCopy: PAGES_PER_COPY }).scanSegment,
      { date: DAY, runKey, segment: 0, totalSegments: 1, pageLimit: PAGE_LIMIT },
    ) as Promise<SegmentResult>;

  /** The search table with its page requests counted. */
  function countingReads(): { table: SearchTable; count: () => number } {
    let reads = 0;
    const table: SearchTable = {
      ...h.ports.searchTable,
      scanPage: (request) => {
        reads++;
        return h.ports.searchTable.scanPage(request);
      },
    };
    return { table, count: () => reads };
  }

  const withStaged = (staged: Partial<StagedLoads>): Warehouse => ({
    ...h.ports.warehouse,
    stagedLoads: { ...h.ports.warehouse.stagedLoads!, ...staged },
  });

  /** The warehouse with its `n`th transaction (a COPY round) replaced by `crash`. */
  function crashingRound(n: number, crash: (commit: () => Promise<void>) => Promise<void>): Warehouse {
    let transactions = 0;
    return {
      ...h.ports.warehouse,
      transaction(work) {
        if (++transactions !== n) return h.ports.warehouse.transaction(work);
        return crash(() => h.ports.warehouse.transaction(work).then(() => undefined)) as never;
      },
    };
  }

  it('COPYs a segment in rounds of the configured size, each table once a round', async () => {
    expect(clean.result.itemsSeen).toBe(ITEMS);
    expect(clean.result.pages).toBeGreaterThanOrEqual(ITEMS / PAGE_LIMIT);
    const rounds = Math.ceil(clean.result.pages / PAGES_PER_COPY);
    // Every round COPYs the queries table, and no table twice in a round.
    expect(clean.result.warehouse!.copies).toBeGreaterThanOrEqual(rounds);
    expect(clean.result.warehouse!.copies).toBeLessThanOrEqual(rounds * SEGMENT_KINDS.length);
    expect(clean.contents.queries).toMatch(new RegExp(`^${ITEMS}:`));
  });

  it('re-reads nothing when the second round’s COPY fails: the retry COPYs its staged pages', async () => {
    const runKey = await prepare();
    const crashing = crashingRound(2, () => Promise.reject(new Error('worker killed in the second round')));
    await expect(scan(runKey, crashing)).rejects.toThrow(/second round/);

    const reads = countingReads();
    const resumed = await scan(runKey, h.ports.warehouse, reads.table);
    // The first round's pages are loaded and the second round's are staged: both are past the resume point.
    expect(resumed.resumedAfterPage).toBe(2 * PAGES_PER_COPY);
    expect(reads.count()).toBe(clean.reads - 2 * PAGES_PER_COPY);
    expect(resumed.itemsSeen).toBe(ITEMS);
    expect(await stagedContents(inspect, runKey)).toEqual(clean.contents);
  });

  it('loads nothing twice when the worker dies after a round commits, before its objects are removed', async () => {
    const runKey = await prepare();
    const crashing = crashingRound(2, async (commit) => {
      await commit();
      throw new Error('worker killed after the second round committed');
    });
    await expect(scan(runKey, crashing)).rejects.toThrow(/after the second round/);
    // The S3 checkpoint still lists the round's pages as staged; the warehouse checkpoint says they are loaded.
    expect((await stagedKeys(h, runKey)).some((key) => key.includes(`/page-${2 * PAGES_PER_COPY}/`))).toBe(
      true,
    );

    const reads = countingReads();
    const resumed = await scan(runKey, h.ports.warehouse, reads.table);
    expect(resumed.resumedAfterPage).toBe(2 * PAGES_PER_COPY);
    expect(reads.count()).toBe(clean.reads - 2 * PAGES_PER_COPY);
    expect(await stagedContents(inspect, runKey)).toEqual(clean.contents);
  });

  it('re-reads only the first page of a new round when the worker dies uploading it', async () => {
    const runKey = await prepare();
    const firstOfRound = PAGES_PER_COPY + 1;
    const real = h.ports.warehouse.stagedLoads!;
    const crashing = withStaged({
      async put(name, rows) {
        if (name.includes(`/page-${firstOfRound}/`))
          throw new Error(`worker killed uploading page ${firstOfRound}`);
        await real.put(name, rows);
      },
    });
    await expect(scan(runKey, crashing)).rejects.toThrow(/uploading page/);

    const reads = countingReads();
    const resumed = await scan(runKey, h.ports.warehouse, reads.table);
    expect(resumed.resumedAfterPage).toBe(PAGES_PER_COPY);
    expect(reads.count()).toBe(clean.reads - PAGES_PER_COPY);
    expect(await stagedContents(inspect, runKey)).toEqual(clean.contents);
  });
});

import { MockActivityEnvironment } from '@temporalio/testing';
import type { SearchTable } from '../../src/adapters/dynamo/port';
import { createExtractActivities, type SegmentResult } from '../../src/activities/extract';
import { createLoadActivities } from '../../src/activities/load';
import { SEGMENT_KINDS, stagingTables } from '../../src/activities/sql/staging';
import { createPgPool, pgWarehouse } from '../../src/adapters/warehouse/pgWarehouse';
import type { StagedLoads, Warehouse } from '../../src/adapters/warehouse/port';
import { TransientConflictError } from '../../src/errors';
import { createPipelineHarness, WAREHOUSE_KINDS, type PipelineHarness } from '../support/pipeline';
import { dayFixture } from '../support/searchItems';
import { prepareRun, stagedContents, stagedKeys } from './stagingProbe';

const DAY = '2024-07-10';
const env = new MockActivityEnvironment();

describe.each(WAREHOUSE_KINDS)('scanSegment on the %s warehouse', (kind) => {
  let h: PipelineHarness;
  /** The warehouse database read directly, for checks in PostgreSQL's own SQL. */
  let inspect: Warehouse;

  beforeAll(async () => {
    h = await createPipelineHarness(`extract_${kind.replace('-', '_')}`, {}, { warehouseKind: kind });
    inspect = pgWarehouse(createPgPool(h.warehouseDb.url));
    await h.putItems(dayFixture(DAY, 60).items);
  });

  afterAll(async () => {
    await inspect?.close();
    await h?.close();
  });

  const prepare = () => prepareRun(h, env, DAY);

  const scan = (warehouse: Warehouse, runKey: string, searchTable: SearchTable = h.ports.searchTable) =>
    env.run(createExtractActivities({ searchTable, warehouse }).scanSegment, {
      date: DAY,
      runKey,
      segment: 0,
      totalSegments: 1,
      pageLimit: 20,
    }) as Promise<SegmentResult>;

  async function stagedQueries(runKey: string): Promise<number> {
    const [row] = await inspect.query<{ n: string }>(
      `SELECT COUNT(*) AS n FROM ${stagingTables(runKey).queries}`,
    );
    return Number(row!.n);
  }

  it('commits each page with its checkpoint and resumes after the last one', async () => {
    const runKey = await prepare();
    const result = await scan(h.ports.warehouse, runKey);
    expect(result.itemsSeen).toBe(60);
    expect(result.pages).toBeGreaterThanOrEqual(3);
    expect(await stagedQueries(runKey)).toBe(60);

    // A retry after the segment finished finds its final checkpoint and reads nothing again.
    const again = await scan(h.ports.warehouse, runKey);
    expect(again.resumedAfterPage).toBe(result.pages);
    expect(again.itemsSeen).toBe(60);
    expect(await stagedQueries(runKey)).toBe(60);
  });

  it('rolls its page back when another attempt of the segment committed that page first', async () => {
    const runKey = await prepare();
    const t = stagingTables(runKey);
    // A timed-out attempt that still runs commits page 1 just before this attempt commits (its page 1 on
    // PostgreSQL, its round of staged pages on Redshift).
    let raced = false;
    const racing: Warehouse = {
      ...h.ports.warehouse,
      async transaction(work) {
        if (!raced) {
          raced = true;
          await h.ports.warehouse.query(
            `INSERT INTO ${t.checkpoints} (segment, page, last_key, counts) VALUES (0, 1, NULL, '{}')`,
          );
        }
        return h.ports.warehouse.transaction(work);
      },
    };

    await expect(scan(racing, runKey)).rejects.toBeInstanceOf(TransientConflictError);
    expect(await stagedQueries(runKey)).toBe(0);
    const checkpoints = await inspect.query(`SELECT segment, page FROM ${t.checkpoints}`);
    expect(checkpoints).toEqual([{ segment: 0, page: 1 }]);
  });

  if (kind !== 'redshift-data') return;

  describe('S3 staging', () => {
    let clean: { runKey: string; result: SegmentResult; contents: Record<string, string> };

    beforeAll(async () => {
      const runKey = await prepare();
      const result = await scan(h.ports.warehouse, runKey);
      clean = { runKey, result, contents: await stagedContents(inspect, runKey) };
    });

    const withStaged = (staged: Partial<StagedLoads>): Warehouse => ({
      ...h.ports.warehouse,
      stagedLoads: { ...h.ports.warehouse.stagedLoads!, ...staged },
    });

    it('loads a segment of several pages with one COPY per table and removes the staged pages', async () => {
      expect(clean.result.pages).toBeGreaterThanOrEqual(3);
      // Five COPYs a page before S3 staging; now one per staging table that has rows.
      expect(clean.result.warehouse!.copies).toBeLessThanOrEqual(SEGMENT_KINDS.length);
      expect(clean.result.warehouse!.copies).toBeGreaterThan(0);
      expect(await stagedQueries(clean.runKey)).toBe(60);
      // What is left is the segment's checkpoint; the pages and manifests are gone.
      expect(await stagedKeys(h, clean.runKey)).toEqual([
        expect.stringMatching(new RegExp(`/${clean.runKey}/segment-0/checkpoint\\.json$`)),
      ]);
    });

    it('re-reads one page after a crash between its uploads and its checkpoint, and stages the same rows', async () => {
      const runKey = await prepare();
      const real = h.ports.warehouse.stagedLoads!;
      let checkpoints = 0;
      const crashing = withStaged({
        async put(name, rows) {
          await real.put(name, rows);
          // An object only the dead attempt made (its page 2 had quarantine rows, say): the manifest, which
          // lists the retry's own names, must never load it.
          if (name.endsWith('page-2/queries.csv.gz'))
            await real.put(name.replace('queries', 'quarantine'), rows);
        },
        async putJson(name, value) {
          if (++checkpoints === 2) throw new Error('worker killed after uploading page 2');
          await real.putJson(name, value);
        },
      });
      await expect(scan(crashing, runKey)).rejects.toThrow(/page 2/);
      expect((await stagedKeys(h, runKey)).filter((key) => key.includes('/page-2/')).length).toBeGreaterThan(
        0,
      );
      expect(await stagedQueries(runKey)).toBe(0);

      const resumed = await scan(h.ports.warehouse, runKey);
      expect(resumed.resumedAfterPage).toBe(1);
      expect(resumed.itemsSeen).toBe(60);
      expect(await stagedContents(inspect, runKey)).toEqual(clean.contents);
    });

    it('reads nothing again after a crash between the checkpoint and the COPY, and COPYs the staged pages', async () => {
      const runKey = await prepare();
      const crashing: Warehouse = {
        ...h.ports.warehouse,
        transaction: () => Promise.reject(new Error('worker killed before the COPY')),
      };
      await expect(scan(crashing, runKey)).rejects.toThrow(/before the COPY/);
      expect(await stagedQueries(runKey)).toBe(0);

      let reads = 0;
      const counting: SearchTable = {
        ...h.ports.searchTable,
        scanPage: (request) => {
          reads++;
          return h.ports.searchTable.scanPage(request);
        },
      };
      const resumed = await scan(h.ports.warehouse, runKey, counting);
      expect(reads).toBe(0);
      expect(resumed.resumedAfterPage).toBe(clean.result.pages);
      expect(resumed.itemsSeen).toBe(60);
      expect(await stagedContents(inspect, runKey)).toEqual(clean.contents);
    });

    it('drops the run’s staged objects with its staging tables', async () => {
      const runKey = await prepare();
      await scan(h.ports.warehouse, runKey);
      expect((await stagedKeys(h, runKey)).length).toBeGreaterThan(0);
      const load = createLoadActivities({
        warehouse: h.ports.warehouse,
        rds: h.ports.rds,
        timeZone: 'Asia/Seoul',
      });
      await env.run(load.dropStaging, { runKey });
      expect(await stagedKeys(h, runKey)).toEqual([]);
    });
  });
});

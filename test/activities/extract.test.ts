import { MockActivityEnvironment } from '@temporalio/testing';
import { createExtractActivities, type SegmentResult } from '../../src/activities/extract';
import { createLoadActivities } from '../../src/activities/load';
import { stagingTables } from '../../src/activities/sql/staging';
import type { Warehouse } from '../../src/adapters/warehouse/port';
import { TransientConflictError } from '../../src/errors';
import { createPipelineHarness, type PipelineHarness } from '../support/pipeline';
import { dayFixture } from '../support/searchItems';

const DAY = '2024-07-10';
let h: PipelineHarness;
const env = new MockActivityEnvironment();

beforeAll(async () => {
  h = await createPipelineHarness('extract');
  await h.putItems(dayFixture(DAY, 60).items);
});

afterAll(() => h.close());

async function prepare(runId: string): Promise<string> {
  const load = createLoadActivities({
    warehouse: h.ports.warehouse,
    rds: h.ports.rds,
    timeZone: 'Asia/Seoul',
  });
  const { runKey } = (await env.run(load.prepareRun, {
    date: DAY,
    workflowId: `daily-report-${DAY}`,
    runId,
  })) as { runKey: string };
  return runKey;
}

const scan = (warehouse: Warehouse, runKey: string) =>
  env.run(createExtractActivities({ searchTable: h.ports.searchTable, warehouse }).scanSegment, {
    date: DAY,
    runKey,
    segment: 0,
    totalSegments: 1,
    pageLimit: 20,
  }) as Promise<SegmentResult>;

async function stagedQueries(runKey: string): Promise<number> {
  const [row] = await h.ports.warehouse.query<{ n: string }>(
    `SELECT COUNT(*) AS n FROM ${stagingTables(runKey).queries}`,
  );
  return Number(row!.n);
}

describe('scanSegment', () => {
  it('commits each page with its checkpoint and resumes after the last one', async () => {
    const runKey = await prepare('extract-run-1');
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
    const runKey = await prepare('extract-run-2');
    const t = stagingTables(runKey);
    // A timed-out attempt that still runs commits page 1 just before this attempt commits its own page 1.
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
    const checkpoints = await h.ports.warehouse.query(`SELECT segment, page FROM ${t.checkpoints}`);
    expect(checkpoints).toEqual([{ segment: 0, page: 1 }]);
  });
});

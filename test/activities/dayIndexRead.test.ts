import { createHash } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { DayQueryPageRequest, RawItem, SearchTable } from '../../src/adapters/dynamo/port';
import { createExtractActivities, type SegmentResult } from '../../src/activities/extract';
import { createLoadActivities } from '../../src/activities/load';
import { stagingTables } from '../../src/activities/sql/staging';
import { createSweepActivities, type SweepSegmentResult } from '../../src/activities/sweep';
import { dayKeyRanges } from '../../src/domain/dayRanges';
import { createPipelineHarness, type PipelineHarness } from '../support/pipeline';
import { dayFixture } from '../support/searchItems';

const DAY = '2024-02-29';
const hexIds = (items: RawItem[]) =>
  items.map((item) => ({
    ...item,
    query_id: {
      S: createHash('md5')
        .update((item.query_id as { S: string }).S)
        .digest('hex'),
    },
  }));

describe('a key range of the day index', () => {
  let h: PipelineHarness;
  const env = new MockActivityEnvironment();
  const day = hexIds(dayFixture(DAY, 120).items);

  beforeAll(async () => {
    h = await createPipelineHarness('rangeread', {}, { dayIndex: true });
    await h.putItems([...day, ...hexIds(dayFixture('2024-03-01', 50).items)]);
  });
  afterAll(() => h.close());

  it('dynalite accepts an UpdateTable that adds the index and changes nothing: DescribeTable tells', async () => {
    const bare = await createPipelineHarness('rangebare');
    try {
      expect(await bare.ports.searchTable.addDayIndex()).toBe('absent');
      expect((await bare.ports.searchTable.describe()).dayIndex).toBe('absent');
    } finally {
      await bare.close();
    }
  });

  it('resumes after a crash from its checkpoint, reading at most one page twice', async () => {
    const { runKey } = (await env.run(
      createLoadActivities({ warehouse: h.ports.warehouse, rds: h.ports.rds, timeZone: 'Asia/Seoul' })
        .prepareRun,
      { date: DAY, workflowId: `daily-report-${DAY}`, runId: 'range-resume' },
    )) as { runKey: string };
    const range = dayKeyRanges(1)[0]!;
    let calls = 0;
    let crashAt: number | undefined = 4;
    const crashing: SearchTable = {
      ...h.ports.searchTable,
      async queryDayPage(request: DayQueryPageRequest) {
        calls++;
        const page = await h.ports.searchTable.queryDayPage(request);
        // The worker dies after DynamoDB answered page 4, before its rows and checkpoint committed.
        if (calls === crashAt) throw new Error('worker killed');
        return page;
      },
    };
    const read = () =>
      env.run(createExtractActivities({ searchTable: crashing, warehouse: h.ports.warehouse }).scanSegment, {
        date: DAY,
        runKey,
        segment: 0,
        totalSegments: 1,
        pageLimit: 10,
        range,
      }) as Promise<SegmentResult>;

    await expect(read()).rejects.toThrow('worker killed');
    crashAt = undefined;
    calls = 0;
    const result = await read();
    expect(result.resumedAfterPage).toBe(3);
    expect(result.pages).toBe(13); // 120 items in pages of 10, and the empty page that ends the range
    expect(calls).toBe(result.pages - 3); // page 4 again, and only it, from the first attempt's pages
    expect(result.itemsSeen).toBe(120);
    expect(result.itemsRead).toBe(120);
    const [row] = await h.ports.warehouse.query<{ n: string }>(
      `SELECT COUNT(*) AS n FROM ${stagingTables(runKey).queries}`,
    );
    expect(Number(row!.n)).toBe(120);
  });
});

describe('libreport sweep', () => {
  it('quarantines every kind of item the day index cannot see, once however often it runs', async () => {
    // Without the index: a table that had wrong-typed dates before the index was added keeps them (unindexed).
    const h = await createPipelineHarness('sweep');
    const env = new MockActivityEnvironment();
    try {
      const base = dayFixture('2024-02-28', 40).items;
      const undated: RawItem[] = [
        { ...base[0]!, query_id: { S: 'no-date' }, query_date: undefined as never },
        { ...base[1]!, query_id: { S: 'number-date' }, query_date: { N: '20240228' } },
        { ...base[2]!, query_id: { S: 'empty-date' }, query_date: { S: '' } },
        { ...base[3]!, query_id: { S: 'short-date' }, query_date: { S: '2024-2-28' } },
        { ...base[4]!, query_id: { S: 'feb-30' }, query_date: { S: '2024-02-30' } },
        { ...base[5]!, query_id: { S: 'garbage' }, query_date: { S: '2024-08-0x' } },
        { ...base[6]!, query_id: { S: 'year-0000' }, query_date: { S: '0000-01-01' } },
      ];
      delete undated[0]!.query_date;
      await h.putItems([...base.slice(7), ...undated]);
      const { migrateWarehouse } = createLoadActivities({
        warehouse: h.ports.warehouse,
        rds: h.ports.rds,
        timeZone: 'Asia/Seoul',
      });
      await env.run(migrateWarehouse);
      const { sweepSegment } = createSweepActivities(h.ports);
      const sweep = async () => {
        const results: SweepSegmentResult[] = [];
        for (let segment = 0; segment < 2; segment++)
          results.push(
            (await env.run(sweepSegment, { segment, totalSegments: 2, pageLimit: 7 })) as SweepSegmentResult,
          );
        return results;
      };
      await sweep();
      const results = await sweep();
      expect(results.reduce((n, r) => n + r.itemsRead, 0)).toBe(40);
      expect(results.reduce((n, r) => n + r.quarantined, 0)).toBe(undated.length);
      const rows = await h.ports.warehouse.query<{ source_key: string; reason: string }>(
        `SELECT source_key, reason FROM dw.quarantine WHERE query_date IS NULL ORDER BY source_key`,
      );
      expect(rows).toEqual([
        { source_key: 'empty-date', reason: 'invalid_query_date' },
        { source_key: 'feb-30', reason: 'invalid_query_date' },
        { source_key: 'garbage', reason: 'invalid_query_date' },
        { source_key: 'no-date', reason: 'missing_query_date' },
        { source_key: 'number-date', reason: 'invalid_query_date' },
        { source_key: 'short-date', reason: 'invalid_query_date' },
        { source_key: 'year-0000', reason: 'invalid_query_date' },
      ]);
    } finally {
      await h.close();
    }
  });
});

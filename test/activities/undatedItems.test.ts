import { MockActivityEnvironment } from '@temporalio/testing';
import type { RawItem } from '../../src/adapters/dynamo/port';
import { createExtractActivities, type SegmentResult } from '../../src/activities/extract';
import { createLoadActivities } from '../../src/activities/load';
import { stagingTables } from '../../src/activities/sql/staging';
import { createPipelineHarness, type PipelineHarness } from '../support/pipeline';
import { dayFixture } from '../support/searchItems';

let h: PipelineHarness;
const env = new MockActivityEnvironment();

/** A well-formed search item (from the shared fixture) with its own id and `query_date`. */
const item = (id: string, queryDate: string): RawItem => ({
  ...dayFixture('2024-02-29', 1).items[0]!,
  query_id: { S: id },
  query_date: { S: queryDate },
});

beforeAll(async () => {
  h = await createPipelineHarness('undated');
  await h.putItems([
    item('leap-day', '2024-02-29'),
    item('feb-30', '2024-02-30'),
    item('feb-31', '2024-02-31'),
    item('march-0', '2024-03-00'),
    item('before-days', '0000-00-00'),
    item('after-days', 'not-a-day!'),
    item('march-1', '2024-03-01'),
  ]);
});

afterAll(() => h.close());

/** Scans `date` in one segment and returns what it staged in quarantine, by item id. */
async function scanDay(
  date: string,
): Promise<{ result: SegmentResult; quarantined: Record<string, string> }> {
  const load = createLoadActivities({ warehouse: h.ports.warehouse, rds: h.ports.rds, timeZone: 'UTC' });
  const { runKey } = (await env.run(load.prepareRun, {
    date,
    workflowId: `daily-report-${date}`,
    runId: `undated-${date}`,
  })) as { runKey: string };
  const extract = createExtractActivities({ searchTable: h.ports.searchTable, warehouse: h.ports.warehouse });
  const result = (await env.run(extract.scanSegment, {
    date,
    runKey,
    segment: 0,
    totalSegments: 1,
  })) as SegmentResult;
  const rows = await h.ports.warehouse.query<{
    source_key: string;
    reason: string;
    query_date: string | null;
  }>(`SELECT source_key, reason, query_date FROM ${stagingTables(runKey).quarantine}`);
  expect(rows.filter((r) => r.query_date !== null)).toEqual([]);
  return { result, quarantined: Object.fromEntries(rows.map((r) => [r.source_key, r.reason])) };
}

describe('items dated with ten characters that are no day', () => {
  it('are read by the scan of the last real day before them and quarantined with a reason', async () => {
    const { result, quarantined } = await scanDay('2024-02-29');
    expect(quarantined).toEqual({
      'feb-30': 'invalid_query_date',
      'feb-31': 'invalid_query_date',
      'march-0': 'invalid_query_date',
      'before-days': 'invalid_query_date',
      'after-days': 'invalid_query_date',
    });
    expect(result).toMatchObject({ itemsSeen: 6, queries: 1 });
  });

  it('are read by no other day (the ones outside every real day excepted)', async () => {
    for (const date of ['2024-02-28', '2024-03-01']) {
      const { quarantined } = await scanDay(date);
      expect({ date, quarantined }).toEqual({
        date,
        quarantined: { 'before-days': 'invalid_query_date', 'after-days': 'invalid_query_date' },
      });
    }
  });
});

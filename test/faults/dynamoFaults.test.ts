import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { RawItem } from '../../src/adapters/dynamo/port';
import { dailyReport, dailyReportId } from '../../src/workflows/dailyReport';
import { createPipelineHarness, workflowBundle, type PipelineHarness } from '../support/pipeline';
import { dayFixture } from '../support/searchItems';
import { createLocalWorkflowEnvironment } from '../support/stack';
import { throttlingSearchTable, withMalformedFirstPage } from './support/searchTableFaults';
import { createTestWorker } from './support/testWorker';
import { countsOf, expectExactDay, sumCounts } from './support/warehouseProbe';

const THROTTLED_DAY = '2024-08-01';
const MALFORMED_DAY = '2024-08-02';

/** Items no producer should write, each broken in one way, and what explosion must make of them. */
function garbageItems(date: string): RawItem[] {
  const list = (...values: string[]) => ({ L: values.map((S) => ({ S })) });
  return [
    { query_date: { S: date }, user_search: list('no key'), selected_lib: list('노원'), isbn13_list: list() },
    {
      query_id: { N: '42' },
      query_date: { S: date },
      user_search: list('x'),
      selected_lib: list(),
      isbn13_list: list(),
    },
    {
      query_id: { S: 'garbage-date-number' },
      query_date: { N: '20240802' },
      user_search: list(),
      selected_lib: list(),
      isbn13_list: list(),
    },
    {
      query_id: { S: 'garbage-list-string' },
      query_date: { S: date },
      user_search: { S: 'python' },
      selected_lib: list(),
      isbn13_list: list(),
    },
    {
      query_id: { S: 'garbage-no-libraries' },
      query_date: { S: date },
      user_search: list('flask'),
      isbn13_list: list(),
    },
    {
      query_id: { S: 'garbage-elements' },
      query_date: { S: date },
      user_search: { L: [{ N: '7' }, { S: 'ok' }] },
      selected_lib: list('마포'),
      isbn13_list: list('not-an-isbn'),
    },
  ] as RawItem[];
}

describe('DynamoDB misbehaving under a running day', () => {
  let env: TestWorkflowEnvironment;
  let h: PipelineHarness;
  const throttledDay = dayFixture(THROTTLED_DAY, 400);
  const malformedDay = dayFixture(MALFORMED_DAY, 300);

  beforeAll(async () => {
    [env, h] = await Promise.all([createLocalWorkflowEnvironment(), createPipelineHarness('faults_dynamo')]);
    await Promise.all([h.putItems([...throttledDay.items, ...malformedDay.items]), workflowBundle()]);
  });

  afterAll(async () => {
    await h?.close();
    await env?.teardown();
  });

  const run = (date: string) =>
    env.client.workflow.execute(dailyReport, {
      args: [{ date, segments: 2, pageLimit: 25, email: 'skip' }],
      taskQueue: h.config.temporal.taskQueue,
      workflowId: dailyReportId(date),
    });

  it('rides out several seconds in which every DynamoDB page request is throttled', async () => {
    const searchTable = throttlingSearchTable(h.ports.searchTable, 4_000);
    const worker = await createTestWorker(env, h, { searchTable });
    const result = await worker.runUntil(run(THROTTLED_DAY));

    expect(searchTable.refusals()).toBeGreaterThan(2);
    expect(result.load.segments.throttled).toBeGreaterThan(0);
    expect(result.load.outcome).toBe('loaded');
    expect(result.load.mismatches).toEqual([]);
    await expectExactDay(h.ports.warehouse, THROTTLED_DAY, countsOf(throttledDay));
  });

  it('quarantines a page of garbage items with reasons and still reconciles', async () => {
    const garbage = garbageItems(MALFORMED_DAY);
    const worker = await createTestWorker(env, h, {
      searchTable: withMalformedFirstPage(h.ports.searchTable, 0, garbage),
    });
    const result = await worker.runUntil(run(MALFORMED_DAY));

    expect(result.load.outcome).toBe('loaded');
    expect(result.load.mismatches).toEqual([]);
    // Every item is counted: the good ones, five wholly quarantined and one that loads without its bad elements.
    expect(result.load.source.items).toBe(malformedDay.queries + garbage.length);
    expect(result.load.quarantined.items).toBe(5);
    expect(result.load.quarantined.elements).toBe(2);
    expect(result.load.quarantined.byReason).toEqual({
      invalid_query_id: 2,
      invalid_query_date: 1,
      invalid_attribute_type: 1,
      missing_attribute: 1,
      element_not_string: 1,
      invalid_isbn13: 1,
    });
    // The partly good item lands with its one good keyword and its library.
    await expectExactDay(
      h.ports.warehouse,
      MALFORMED_DAY,
      sumCounts(countsOf(malformedDay), { queries: 1, keywords: 1, libraries: 1, isbns: 0 }),
    );
    const quarantined = await h.ports.warehouse.query<{ source_key: string; reason: string }>(
      `SELECT source_key, reason FROM dw.quarantine
       WHERE source LIKE 'dynamodb.%' AND (query_date = $1 OR query_date IS NULL) ORDER BY source_key, reason`,
      [MALFORMED_DAY],
    );
    expect(quarantined).toEqual(
      expect.arrayContaining([
        { source_key: 'garbage-date-number', reason: 'invalid_query_date' },
        { source_key: 'garbage-list-string', reason: 'invalid_attribute_type' },
        { source_key: 'garbage-no-libraries', reason: 'missing_attribute' },
        { source_key: 'garbage-elements', reason: 'element_not_string' },
        { source_key: 'garbage-elements', reason: 'invalid_isbn13' },
      ]),
    );
    expect(quarantined.filter((q) => q.reason === 'invalid_query_id')).toHaveLength(2);
  });
});

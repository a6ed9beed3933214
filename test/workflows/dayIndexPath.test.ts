import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { RawItem } from '../../src/adapters/dynamo/port';
import { createActivities } from '../../src/activities';
import { activitySettings } from '../../src/worker/ports';
import { dailyReport, dailyReportId, type DailyReportResult } from '../../src/workflows/dailyReport';
import { createPipelineHarness, workflowBundle, type PipelineHarness } from '../support/pipeline';
import { dayFixture, withHexIds } from '../support/searchItems';
import { dayContents } from '../faults/support/warehouseProbe';
import { createLocalWorkflowEnvironment } from '../support/stack';

const DAY = '2024-05-16';

describe('dailyReport through the day index', () => {
  let env: TestWorkflowEnvironment;
  let h: PipelineHarness;
  const day = withHexIds(dayFixture(DAY, 300).items);
  const otherDays = ['2024-05-14', '2024-05-15', '2024-05-17'].flatMap((d) =>
    withHexIds(dayFixture(d, 100).items),
  );
  // In-day defects both paths must quarantine alike; ids equal to range bounds and an uppercase id.
  const odd: RawItem[] = [
    { ...day[0]!, query_id: { S: '40' } },
    { ...day[1]!, query_id: { S: '80' } },
    { ...day[2]!, query_id: { S: 'C0FFEE' } },
    { ...day[3]!, query_id: { S: 'bad-list' }, user_search: { S: 'python' } },
    { ...day[4]!, query_id: { S: 'bad-elements' }, isbn13_list: { L: [{ S: '123' }, { N: '1' }] } },
  ];

  async function run(readPath: 'index' | 'scan'): Promise<DailyReportResult> {
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: h.config.temporal.taskQueue,
      workflowBundle: await workflowBundle(),
      activities: createActivities(h.ports, activitySettings(h.config)),
    });
    return worker.runUntil(
      env.client.workflow.execute(dailyReport, {
        args: [{ date: DAY, segments: 4, pageLimit: 25, email: 'skip', readPath }],
        taskQueue: h.config.temporal.taskQueue,
        workflowId: `${dailyReportId(DAY)}-${readPath}`,
      }),
    );
  }

  beforeAll(async () => {
    [env, h] = await Promise.all([
      createLocalWorkflowEnvironment(),
      createPipelineHarness('dayindex', {}, { dayIndex: true }),
    ]);
    await h.putItems([...day, ...otherDays, ...odd]);
  });

  afterAll(async () => {
    await h?.close();
    await env?.teardown();
  });

  it('reads only the day through the index and loads what the scan loads', async () => {
    expect((await h.ports.searchTable.describe()).dayIndex).toBe('active');
    const byScan = await run('scan');
    const scanned = await dayContents(h.ports.warehouse, DAY);
    const byIndex = await run('index');
    const indexed = await dayContents(h.ports.warehouse, DAY);

    expect(indexed).toEqual(scanned);
    expect(byIndex.load.mismatches).toEqual([]);
    expect(byIndex.load.tables.search_query).toBe(day.length + odd.length - 1);
    // The day's items only; the item whose id is exactly the bound "80" is read by both ranges' BETWEEN and
    // kept by the upper one (the "40" bound is a `>=`/`BETWEEN` lower end only once; ranges: <40, 40-80, 80-c0, >=c0).
    expect(byIndex.extract).toMatchObject({
      path: 'index',
      segments: 4,
      itemsRead: day.length + odd.length + 1,
    });
    expect(byScan.extract).toMatchObject({
      path: 'scan',
      itemsRead: day.length + otherDays.length + odd.length,
    });
    expect(byIndex.extract!.itemsLoaded).toBe(byScan.extract!.itemsLoaded);
    // Every range read a share of the day (uniform hex ids), none the whole of it.
    for (const segment of byIndex.segments) expect(segment.itemsSeen).toBeLessThan(day.length / 2);
  });
});

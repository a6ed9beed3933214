import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { dayKeyRanges } from '../../src/domain/dayRanges';
import { dailyReport, dailyReportId } from '../../src/workflows/dailyReport';
import { createPipelineHarness, workflowBundle, type PipelineHarness } from '../support/pipeline';
import { dayFixture, withHexIds } from '../support/searchItems';
import { createLocalWorkflowEnvironment } from '../support/stack';
import { startWorkerProcess, workerEnvironment, type WorkerProcess } from '../support/workerProcess';
import { startDynamoRequestLog, type DynamoRequestLog } from './support/dynamoRequestLog';
import { countingSearchTable } from './support/searchTableFaults';
import { createTestWorker } from './support/testWorker';
import { waitFor } from './support/waitFor';
import {
  backendsOf,
  dayContents,
  segmentCheckpoints,
  stagedRunKey,
  withApplicationName,
  type CheckpointRow,
} from './support/warehouseProbe';

const DAY = '2024-06-05';
const RANGES = 2;

/**
 * The day-index twin of workerKill.test.ts's scan case: a real `libreport worker` process reads the day as key
 * ranges of the index and is SIGKILLed mid-range; Temporal times its attempts out after the configured
 * heartbeat timeout and an in-process worker finishes them.
 */
describe('a worker SIGKILLed while it reads the day through the day index', () => {
  let env: TestWorkflowEnvironment;
  let h: PipelineHarness;
  let requests: DynamoRequestLog;
  let child: WorkerProcess | undefined;
  // 2,000 items in 10-item pages over 2 key ranges: ~100 pages a range, so a kill lands mid-range.
  const day = withHexIds(dayFixture(DAY, 2000).items);
  const otherDays = ['2024-06-04', '2024-06-06'].flatMap((d) => withHexIds(dayFixture(d, 300).items));

  /** Query pages the child asked the index for, per range number (recorded by the proxy it talks through). */
  function childQueries(): Map<number, number> {
    const ranges = dayKeyRanges(RANGES);
    const counts = new Map<number, number>();
    for (const call of requests.calls()) {
      if (call.operation !== 'Query') continue;
      const values = call.body.ExpressionAttributeValues as Record<string, { S: string }>;
      const range = ranges.find((r) => r.from === values[':from']?.S && r.below === values[':below']?.S);
      if (!range) throw new Error(`a Query for no range of the plan: ${JSON.stringify(values)}`);
      counts.set(range.index, (counts.get(range.index) ?? 0) + 1);
    }
    return counts;
  }

  beforeAll(async () => {
    [env, h] = await Promise.all([
      createLocalWorkflowEnvironment(),
      // Short real timeouts: a killed worker's attempt is timed out by Temporal, as in production, in seconds.
      createPipelineHarness(
        'faults_kill_range',
        { SCAN_HEARTBEAT_TIMEOUT_SECONDS: '5', STAGE_HEARTBEAT_TIMEOUT_SECONDS: '5' },
        { dayIndex: true },
      ),
    ]);
    requests = await startDynamoRequestLog(h.config.dynamo.endpoint!);
    await Promise.all([h.putItems([...day, ...otherDays]), workflowBundle()]);
  });

  afterAll(async () => {
    await child?.kill('SIGKILL');
    await requests?.close();
    await h?.close();
    await env?.teardown();
  });

  it('resumes each range after its last committed page, re-reading at most one page, and loads what an uninterrupted run loads', async () => {
    const app = 'faults_kill_range';
    child = startWorkerProcess(
      workerEnvironment(h.config, {
        TEMPORAL_ADDRESS: env.address,
        WAREHOUSE_URL: withApplicationName(h.warehouseDb.url, app),
        DYNAMODB_ENDPOINT: requests.endpoint,
      }),
    );
    await child.ready;
    const input = {
      date: DAY,
      segments: RANGES,
      pageLimit: 10,
      readPath: 'index' as const,
      timeouts: h.config.timeouts,
      email: 'skip' as const,
    };
    const handle = await env.client.workflow.start(dailyReport, {
      args: [input],
      taskQueue: h.config.temporal.taskQueue,
      workflowId: dailyReportId(DAY),
    });

    const runKey = await waitFor('prepareRun to register the run', () => stagedRunKey(h.ports.warehouse));
    await waitFor('a range past page 3 and unfinished', async () => {
      const rows = await segmentCheckpoints(h.ports.warehouse, runKey).catch(() => []);
      return rows.some((r) => r.page >= 3 && !r.finished);
    });
    await child.kill('SIGKILL');
    await waitFor(
      `backends of ${app} to end`,
      async () => (await backendsOf(h.ports.warehouse, app)).length === 0,
    );
    // What the dead worker committed (the authoritative resume points) and every page it asked for.
    const atDeath = new Map<number, CheckpointRow>(
      (await segmentCheckpoints(h.ports.warehouse, runKey)).map((r) => [r.segment, r]),
    );
    expect([...atDeath.values()].some((r) => r.page >= 3 && !r.finished)).toBe(true);
    const askedByChild = childQueries();

    const searchTable = countingSearchTable(h.ports.searchTable);
    const worker = await createTestWorker(env, h, { searchTable });
    const resumed = await worker.runUntil(handle.result());

    expect(resumed.extract).toMatchObject({ path: 'index', segments: RANGES });
    expect(resumed.load.outcome).toBe('loaded');
    expect(resumed.load.mismatches).toEqual([]);
    expect(resumed.segments.some((s) => s.resumedAfterPage >= 3)).toBe(true);
    for (const range of resumed.segments) {
      const calls = searchTable.finalAttemptCalls(range.segment);
      const committed = atDeath.get(range.segment)?.page ?? 0;
      if (calls > 0) {
        // The final attempt resumed exactly after the dead worker's last committed page and asked only for the rest.
        expect(range.resumedAfterPage).toBe(committed);
        expect(range.pages - range.resumedAfterPage).toBe(calls);
      }
      // Pages asked for in all, by both workers, against pages the range has: at most one was read twice
      // (the one the dead worker had asked for but not committed).
      const reread = (askedByChild.get(range.segment) ?? 0) + calls - range.pages;
      expect([0, 1]).toContain(reread);
    }
    const afterKill = await dayContents(h.ports.warehouse, DAY);

    // The same day again, uninterrupted: the warehouse holds exactly the same rows.
    const uninterrupted = await (
      await createTestWorker(env, h)
    ).runUntil(
      env.client.workflow.execute(dailyReport, {
        args: [input],
        taskQueue: h.config.temporal.taskQueue,
        workflowId: `${dailyReportId(DAY)}-uninterrupted`,
      }),
    );
    expect(uninterrupted.load.outcome).toBe('loaded');
    expect(uninterrupted.segments.every((s) => s.resumedAfterPage === 0)).toBe(true);
    expect(await dayContents(h.ports.warehouse, DAY)).toEqual(afterKill);
    expect(afterKill.search_query).toMatch(new RegExp(`^${day.length}:`));
    // Items read count committed pages only, so the killed run reports what the uninterrupted one read.
    expect(resumed.extract).toEqual(uninterrupted.extract);
    expect(resumed.load.tables).toEqual(uninterrupted.load.tables);
    // Two runs, one waiting out a heartbeat timeout, on a machine shared with other suites.
  }, 300_000);
});

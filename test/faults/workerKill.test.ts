import { Client } from 'pg';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createPgPool, pgWarehouse } from '../../src/adapters/warehouse/pgWarehouse';
import { dailyReport, dailyReportId } from '../../src/workflows/dailyReport';
import { createPipelineHarness, workflowBundle, type PipelineHarness } from '../support/pipeline';
import { dayFixture } from '../support/searchItems';
import { createLocalWorkflowEnvironment } from '../support/stack';
import { startWorkerProcess, workerEnvironment, type WorkerProcess } from '../support/workerProcess';
import { countingSearchTable } from './support/searchTableFaults';
import { createTestWorker } from './support/testWorker';
import { waitFor } from './support/waitFor';
import {
  backendsOf,
  countsOf,
  expectExactDay,
  loadAudit,
  observeDay,
  readSwappedTables,
  segmentCheckpoints,
  stagedRunKey,
  sumCounts,
  withApplicationName,
  type CheckpointRow,
} from './support/warehouseProbe';

const SCAN_DAY = '2024-06-03';
const LOAD_DAY = '2024-06-04';

describe('a worker SIGKILLed mid-run', () => {
  let env: TestWorkflowEnvironment;
  let h: PipelineHarness;
  const children: WorkerProcess[] = [];
  // 2,000 items in 10-item pages over 2 segments: each segment spans ~100 pages, so a kill lands mid-segment.
  const scanDay = dayFixture(SCAN_DAY, 2000);
  const earlierLoad = dayFixture(LOAD_DAY, 150, 'first');
  const laterItems = dayFixture(LOAD_DAY, 90, 'second');

  /** A `libreport worker` process whose warehouse backends carry `applicationName`. */
  async function startChild(applicationName: string): Promise<WorkerProcess> {
    const child = startWorkerProcess(
      workerEnvironment(h.config, {
        TEMPORAL_ADDRESS: env.address,
        WAREHOUSE_URL: withApplicationName(h.warehouseDb.url, applicationName),
      }),
    );
    children.push(child);
    await child.ready;
    return child;
  }

  /** SIGKILLs the child and waits until PostgreSQL has let go of all its backends. */
  async function killChild(child: WorkerProcess, applicationName: string): Promise<void> {
    await child.kill('SIGKILL');
    await waitFor(
      `backends of ${applicationName} to end`,
      async () => (await backendsOf(h.ports.warehouse, applicationName)).length === 0,
    );
  }

  beforeAll(async () => {
    [env, h] = await Promise.all([
      createLocalWorkflowEnvironment(),
      // Short real timeouts: a killed worker's attempt is timed out by Temporal, as in production, in seconds.
      createPipelineHarness('faults_kill', {
        SCAN_HEARTBEAT_TIMEOUT_SECONDS: '5',
        STAGE_HEARTBEAT_TIMEOUT_SECONDS: '5',
      }),
    ]);
    await Promise.all([h.putItems([...scanDay.items, ...earlierLoad.items]), workflowBundle()]);
  });

  afterAll(async () => {
    await Promise.allSettled(children.map((c) => c.kill('SIGKILL')));
    await h?.close();
    await env?.teardown();
  });

  it('resumes a killed scan from its checkpoint, re-reading at most one page per segment', async () => {
    const app = 'faults_kill_scan';
    const child = await startChild(app);
    const handle = await env.client.workflow.start(dailyReport, {
      args: [{ date: SCAN_DAY, segments: 2, pageLimit: 10, timeouts: h.config.timeouts, email: 'skip' }],
      taskQueue: h.config.temporal.taskQueue,
      workflowId: dailyReportId(SCAN_DAY),
    });

    const runKey = await waitFor('prepareRun to register the run', () => stagedRunKey(h.ports.warehouse));
    await waitFor('a segment past page 3 and unfinished', async () => {
      const rows = await segmentCheckpoints(h.ports.warehouse, runKey).catch(() => []);
      return rows.some((r) => r.page >= 3 && !r.finished);
    });
    await killChild(child, app);
    // What the dead worker committed: the authoritative resume point of each segment.
    const atDeath = new Map<number, CheckpointRow>(
      (await segmentCheckpoints(h.ports.warehouse, runKey)).map((r) => [r.segment, r]),
    );
    expect([...atDeath.values()].some((r) => r.page >= 3 && !r.finished)).toBe(true);

    const searchTable = countingSearchTable(h.ports.searchTable);
    const worker = await createTestWorker(env, h, { searchTable });
    const result = await worker.runUntil(handle.result());

    expect(result.load.outcome).toBe('loaded');
    expect(result.load.mismatches).toEqual([]);
    await expectExactDay(h.ports.warehouse, SCAN_DAY, countsOf(scanDay));
    expect(result.segments.some((s) => s.resumedAfterPage >= 3)).toBe(true);

    for (const segment of result.segments) {
      const calls = searchTable.finalAttemptCalls(segment.segment);
      if (calls === 0) continue; // finished and reported by the killed worker before it died
      // The final attempt asked DynamoDB exactly for the pages after its resume point...
      expect(segment.pages - segment.resumedAfterPage).toBe(calls);
      // ...and resumed exactly after the last page the killed attempt committed. That attempt requested at
      // most one page past its checkpoint (it checkpoints each page before asking for the next), so at most
      // one page was read twice.
      expect(segment.resumedAfterPage).toBe(atDeath.get(segment.segment)?.page ?? 0);
    }
  });

  it('leaves the previous day whole when killed inside the load transaction, then loads the new day exactly', async () => {
    const previous = countsOf(earlierLoad);
    const expected = sumCounts(countsOf(earlierLoad), countsOf(laterItems));
    const options = { taskQueue: h.config.temporal.taskQueue, workflowId: dailyReportId(LOAD_DAY) };
    const args = [{ date: LOAD_DAY, segments: 2, pageLimit: 50, email: 'skip', timeouts: h.config.timeouts }] as const;

    const first = await createTestWorker(env, h);
    const firstResult = await first.runUntil(
      env.client.workflow.execute(dailyReport, { ...options, args: [...args] }),
    );
    expect(firstResult.load.outcome).toBe('loaded');
    await expectExactDay(h.ports.warehouse, LOAD_DAY, previous);
    await h.putItems(laterItems.items);

    // Hold dw.search_isbn13 so loadDay stops inside its transaction after it already replaced search_query,
    // search_keyword and search_library (the statement order of replaceDayStatements).
    const locker = new Client({ connectionString: h.warehouseDb.url });
    await locker.connect();
    const samples: string[] = [];
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE dw.search_isbn13 IN ACCESS EXCLUSIVE MODE');

      const app = 'faults_kill_load';
      const child = await startChild(app);
      const handle = await env.client.workflow.start(dailyReport, { ...options, args: [...args] });
      await waitFor('loadDay to block on dw.search_isbn13', async () =>
        (await backendsOf(h.ports.warehouse, app)).some(
          (b) => b.wait_event_type === 'Lock' && b.query.includes('dw.search_isbn13'),
        ),
      );
      // The half-done swap is invisible: a reader of the tables it already swapped waits for the transaction
      // to end (or, had it not reached them, reads the previous day whole), never part of the new day.
      const { isbns: _isbns, ...previousSwapped } = previous;
      expect(['waiting', previousSwapped]).toContainEqual(
        await readSwappedTables(h.warehouseDb.url, LOAD_DAY),
      );
      const locked = await locker.query<{ n: string }>(
        `SELECT COUNT(*) AS n FROM dw.search_isbn13 WHERE query_date = $1`,
        [LOAD_DAY],
      );
      expect(Number(locked.rows[0]!.n)).toBe(previous.isbns);

      // Its backend waits for the lock and only then notices its client is gone, so wait for the exit alone.
      await child.kill('SIGKILL');
      const sampling = sampleDay(LOAD_DAY, samples);

      const second = await createTestWorker(env, h);
      const result = await second.runUntil(async () => {
        // The dead worker's attempt stops heartbeating; after the 5-second heartbeat timeout Temporal retries
        // it here. The retry waits on the same lock until the locker lets go.
        await waitFor('the load to be retried after its heartbeat timeout', async () => {
          const pending = (await handle.describe()).raw.pendingActivities?.find(
            (a) => a.activityType?.name === 'loadDay',
          );
          return (pending?.attempt ?? 1) > 1;
        });
        await locker.query('COMMIT');
        return handle.result();
      });
      await sampling.stop();

      expect(result.load.outcome).toBe('loaded');
      expect(result.load.mismatches).toEqual([]);
      await expectExactDay(h.ports.warehouse, LOAD_DAY, expected);
      const audit = await loadAudit(h.ports.warehouse, LOAD_DAY);
      expect(audit).toEqual([
        { run_id: firstResult.load.runId, outcome: 'loaded' },
        { run_id: result.load.runId, outcome: 'loaded' },
      ]);
      // Every reader during the kill and the recovery saw the previous day or the new one, whole.
      const whole = [
        JSON.stringify({ ...previous, duplicates: 0 }),
        JSON.stringify({ ...expected, duplicates: 0 }),
      ];
      expect(samples.length).toBeGreaterThan(0);
      expect(samples.filter((s) => !whole.includes(s))).toEqual([]);
    } finally {
      await locker.end();
    }
  });

  /** Reads the day over and over on its own connection until stopped, recording each consistent snapshot. */
  function sampleDay(date: string, into: string[]): { stop(): Promise<void> } {
    let stopped = false;
    const done = (async () => {
      const reader = pgWarehouse(createPgPool(h.warehouseDb.url, { max: 1 }));
      try {
        while (!stopped) into.push(JSON.stringify(await observeDay(reader, date)));
      } finally {
        await reader.close();
      }
    })();
    return {
      async stop() {
        stopped = true;
        await done;
      },
    };
  }
});

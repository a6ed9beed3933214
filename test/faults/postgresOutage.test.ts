import { Client } from 'pg';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createPgPool, pgWarehouse } from '../../src/adapters/warehouse/pgWarehouse';
import type { Warehouse } from '../../src/adapters/warehouse/port';
import { dailyReport, dailyReportId, type DailyReportInput } from '../../src/workflows/dailyReport';
import { TEST_PG_ADMIN_URL } from '../support/databases';
import { createPipelineHarness, workflowBundle, type PipelineHarness } from '../support/pipeline';
import { dayFixture } from '../support/searchItems';
import { createLocalWorkflowEnvironment } from '../support/stack';
import { startWorkerProcess, workerEnvironment, type WorkerProcess } from '../support/workerProcess';
import { startTcpProxy, type TcpProxy } from './support/tcpProxy';
import { createTestWorker } from './support/testWorker';
import { waitFor } from './support/waitFor';
import { losingLastCheckpointAck } from './support/warehouseFaults';
import {
  backendsOf,
  countsOf,
  expectExactDay,
  loadAudit,
  observeDay,
  readSwappedTables,
  segmentCheckpoints,
  stagedRunKey,
  withApplicationName,
} from './support/warehouseProbe';

const OUTAGE_DAY = '2024-07-01';
const COPY_DAY = '2024-07-02';
const LOAD_DAY = '2024-07-03';
const ACK_DAY = '2024-07-04';
const PROCESS_DAY = '2024-07-05';
/** The worker's warehouse backends carry this name, so the test can find the statements it runs. */
const APP = 'faults_pg_worker';

describe('PostgreSQL failing under a running day', () => {
  let env: TestWorkflowEnvironment;
  let h: PipelineHarness;
  let proxy: TcpProxy;
  let proxied: Warehouse;
  const outageDay = dayFixture(OUTAGE_DAY, 1500);
  const copyDay = dayFixture(COPY_DAY, 1000);
  const loadDay = dayFixture(LOAD_DAY, 300);
  const ackDay = dayFixture(ACK_DAY, 400);
  const processDay = dayFixture(PROCESS_DAY, 1000);
  const children: WorkerProcess[] = [];

  const input = (date: string): DailyReportInput => ({ date, segments: 2, pageLimit: 10, email: 'skip' });
  const start = (date: string) =>
    env.client.workflow.start(dailyReport, {
      args: [input(date)],
      taskQueue: h.config.temporal.taskQueue,
      workflowId: dailyReportId(date),
    });

  /** Waits until the run staging now has a segment that committed `page` pages and is not done. */
  async function scanPast(page: number): Promise<string> {
    const runKey = await waitFor('prepareRun to register the run', () => stagedRunKey(h.ports.warehouse));
    await waitFor(`a segment past page ${page} and unfinished`, async () => {
      const rows = await segmentCheckpoints(h.ports.warehouse, runKey).catch(() => []);
      return rows.some((r) => r.page >= page && !r.finished);
    });
    return runKey;
  }

  beforeAll(async () => {
    const pg = new URL(TEST_PG_ADMIN_URL);
    [env, h, proxy] = await Promise.all([
      createLocalWorkflowEnvironment(),
      createPipelineHarness('faults_pg'),
      startTcpProxy({ host: pg.hostname, port: Number(pg.port || 5432) }),
    ]);
    proxied = pgWarehouse(createPgPool(proxy.route(withApplicationName(h.warehouseDb.url, APP))));
    await Promise.all([
      h.putItems([
        ...outageDay.items,
        ...copyDay.items,
        ...loadDay.items,
        ...ackDay.items,
        ...processDay.items,
      ]),
      workflowBundle(),
    ]);
  });

  afterAll(async () => {
    await Promise.allSettled(children.map((c) => c.kill('SIGKILL')));
    await proxied?.close();
    await proxy?.close();
    await h?.close();
    await env?.teardown();
  });

  it('finishes exactly when the warehouse is unreachable for a while during the scan', async () => {
    const worker = await createTestWorker(env, h, { warehouse: proxied });
    const result = await worker.runUntil(async () => {
      const handle = await start(OUTAGE_DAY);
      await scanPast(3);
      proxy.cut();
      // The outage lasts until every segment has failed to reconnect at least twice (Temporal retried them).
      const refusedBefore = proxy.refusals();
      await waitFor('segments retrying into the outage', () => proxy.refusals() >= refusedBefore + 4);
      proxy.restore();
      return handle.result();
    });

    expect(result.load.outcome).toBe('loaded');
    expect(result.load.mismatches).toEqual([]);
    expect(result.load.segments.resumed).toBeGreaterThanOrEqual(1);
    await expectExactDay(h.ports.warehouse, OUTAGE_DAY, countsOf(outageDay));
  });

  it('finishes exactly when a staging COPY is terminated mid-statement', async () => {
    const locker = new Client({ connectionString: h.warehouseDb.url });
    await locker.connect();
    let terminated = 0;
    try {
      const worker = await createTestWorker(env, h, { warehouse: proxied });
      const result = await worker.runUntil(async () => {
        const handle = await start(COPY_DAY);
        const runKey = await scanPast(2);
        // Holding the keyword staging table parks the next keyword COPY inside its statement, so the
        // termination lands mid-COPY every time rather than when a poll happens to catch one.
        await locker.query('BEGIN');
        await locker.query(`LOCK TABLE dw_stage.kw_${runKey} IN ACCESS EXCLUSIVE MODE`);
        const copying = await waitFor('a keyword COPY waiting inside its statement', async () => {
          const backends = await backendsOf(h.ports.warehouse, APP);
          const copies = backends.filter(
            (b) => b.query.startsWith(`COPY dw_stage.kw_${runKey}`) && b.wait_event_type === 'Lock',
          );
          return copies.length > 0 ? copies : undefined;
        });
        for (const { pid } of copying) {
          const [row] = await h.ports.warehouse.query<{ ok: boolean }>(
            `SELECT pg_terminate_backend($1) AS ok`,
            [pid],
          );
          if (row!.ok) terminated++;
        }
        await locker.query('COMMIT');
        return handle.result();
      });

      expect(terminated).toBeGreaterThan(0);
      expect(result.load.outcome).toBe('loaded');
      expect(result.load.mismatches).toEqual([]);
      expect(result.load.segments.resumed).toBeGreaterThanOrEqual(1);
      await expectExactDay(h.ports.warehouse, COPY_DAY, countsOf(copyDay));
    } finally {
      await locker.end();
    }
  });

  it('rolls back and retries the load when the connection drops inside its transaction', async () => {
    const locker = new Client({ connectionString: h.warehouseDb.url });
    await locker.connect();
    try {
      // loadDay replaces search_query, search_keyword and search_library, then waits here for search_isbn13.
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE dw.search_isbn13 IN ACCESS EXCLUSIVE MODE');
      const worker = await createTestWorker(env, h, { warehouse: proxied });
      const result = await worker.runUntil(async () => {
        const handle = await start(LOAD_DAY);
        await waitFor('loadDay to block inside its transaction', async () =>
          (await backendsOf(h.ports.warehouse, APP)).some(
            (b) => b.wait_event_type === 'Lock' && b.query.includes('dw.search_isbn13'),
          ),
        );
        proxy.cut();
        const refusedBefore = proxy.refusals();
        await waitFor('loadDay retrying into the outage', () => proxy.refusals() >= refusedBefore + 2);
        // Nothing of the cut transaction is visible (the day was empty before this run): a reader waits for
        // the stuck swap or sees the empty day.
        const empty = { queries: 0, keywords: 0, libraries: 0 };
        expect(['waiting', empty]).toContainEqual(await readSwappedTables(h.warehouseDb.url, LOAD_DAY));
        proxy.restore();
        await locker.query('COMMIT');
        return handle.result();
      });

      expect(result.load.outcome).toBe('loaded');
      expect(result.load.mismatches).toEqual([]);
      await expectExactDay(h.ports.warehouse, LOAD_DAY, countsOf(loadDay));
      expect(await loadAudit(h.ports.warehouse, LOAD_DAY)).toEqual([
        { run_id: result.load.runId, outcome: 'loaded' },
      ]);
    } finally {
      await locker.end();
    }
  });

  it('does not scan a finished segment again when the acknowledgement of its last checkpoint is lost', async () => {
    // The last checkpoint commits, then the connection drops before the worker hears so (or the worker dies
    // before reporting the segment done): the retry finds a checkpoint that says "segment finished".
    const warehouse = losingLastCheckpointAck(h.ports.warehouse);
    const worker = await createTestWorker(env, h, { warehouse });
    const result = await worker.runUntil(
      env.client.workflow.execute(dailyReport, {
        args: [input(ACK_DAY)],
        taskQueue: h.config.temporal.taskQueue,
        workflowId: dailyReportId(ACK_DAY),
      }),
    );

    expect(warehouse.lostAcks()).toBe(2);
    expect(result.load.outcome).toBe('loaded');
    expect(result.load.source.items).toBe(ackDay.queries);
    for (const segment of result.segments) expect(segment.pages).toBe(segment.resumedAfterPage);
    await expectExactDay(h.ports.warehouse, ACK_DAY, countsOf(ackDay));
    expect((await observeDay(h.ports.warehouse, ACK_DAY)).duplicates).toBe(0);
  });

  it('keeps a `libreport worker` process alive through a warehouse outage', async () => {
    const child = startWorkerProcess(
      workerEnvironment(h.config, {
        TEMPORAL_ADDRESS: env.address,
        WAREHOUSE_URL: proxy.route(withApplicationName(h.warehouseDb.url, APP)),
      }),
    );
    children.push(child);
    await child.ready;
    let exited = false;
    void child.exited.then(() => (exited = true));

    const handle = await start(PROCESS_DAY);
    await scanPast(3);
    proxy.cut();
    const refusedBefore = proxy.refusals();
    await waitFor(
      'segments retrying into the outage, or the worker dying',
      () => exited || proxy.refusals() >= refusedBefore + 4,
    );
    proxy.restore();
    // A dropped connection is a retryable failure of one activity attempt, never the end of the worker.
    expect(exited ? `worker died:\n${child.output().slice(-3000)}` : 'alive').toBe('alive');

    const result = await handle.result();
    expect(result.load.outcome).toBe('loaded');
    expect(result.load.segments.resumed).toBeGreaterThanOrEqual(1);
    await expectExactDay(h.ports.warehouse, PROCESS_DAY, countsOf(processDay));
  });
});

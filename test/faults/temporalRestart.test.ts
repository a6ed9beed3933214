import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { createWorker } from '../../src/worker/createWorker';
import { dailyReport, dailyReportId } from '../../src/workflows/dailyReport';
import { createPipelineHarness, workflowBundle, type PipelineHarness } from '../support/pipeline';
import { dayFixture } from '../support/searchItems';
import { temporalCliForTests } from '../support/stack';
import { createDevServer, type DevServer } from './support/devServer';
import { waitFor } from './support/waitFor';
import { countsOf, expectExactDay, loadAudit, segmentCheckpoints, stagedRunKey } from './support/warehouseProbe';

const DAY = '2024-06-10';

describe('the Temporal server killed and restarted mid-scan', () => {
  let server: DevServer;
  let h: PipelineHarness;
  let dir: string;
  let workerConnection: NativeConnection | undefined;
  let clientConnection: Connection | undefined;
  // 1,200 items in 10-item pages over 2 segments: ~60 pages each, so the kill lands mid-segment.
  const fixture = dayFixture(DAY, 1200);

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'libreport-temporal-restart-'));
    server = await createDevServer(temporalCliForTests(), path.join(dir, 't.db'));
    await server.start();
    h = await createPipelineHarness('faults_temporal', { TEMPORAL_ADDRESS: server.address });
    await Promise.all([h.putItems(fixture.items), workflowBundle()]);
  });

  afterAll(async () => {
    await clientConnection?.close();
    await workerConnection?.close();
    await server?.stop('SIGKILL').catch(() => undefined);
    await h?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('completes the run with exact counts once the server is back; the worker reconnects by itself', async () => {
    workerConnection = await NativeConnection.connect({ address: server.address });
    clientConnection = await Connection.connect({ address: server.address });
    const client = new Client({ connection: clientConnection });
    const worker: Worker = await createWorker({
      config: h.config,
      connection: workerConnection,
      ports: h.ports,
      workflowBundle: await workflowBundle(),
    });
    let workerFailure: unknown;
    const running = worker.run().catch((error: unknown) => {
      workerFailure = error;
    });

    try {
      const handle = await client.workflow.start(dailyReport, {
        args: [{ date: DAY, segments: 2, pageLimit: 10, timeouts: { scanHeartbeatSeconds: 10 }, email: 'skip' }],
        taskQueue: h.config.temporal.taskQueue,
        workflowId: dailyReportId(DAY),
      });
      const runKey = await waitFor('prepareRun to register the run', () => stagedRunKey(h.ports.warehouse));
      await waitFor('a segment past page 3 and unfinished', async () => {
        const rows = await segmentCheckpoints(h.ports.warehouse, runKey).catch(() => []);
        return rows.some((r) => r.page >= 3 && !r.finished);
      });

      const exit = await server.stop('SIGKILL');
      expect(exit.signal).toBe('SIGKILL');
      const atKill = await segmentCheckpoints(h.ports.warehouse, runKey);
      expect(atKill.some((r) => !r.finished)).toBe(true);
      // The scan goes on without the server (checkpoints are the warehouse's business, not Temporal's): keep the
      // server down until both segments have read their last page, so their completions meet a dead server.
      await waitFor('both segments to finish while Temporal is down', async () => {
        const now = await segmentCheckpoints(h.ports.warehouse, runKey);
        return now.length === 2 && now.every((r) => r.finished);
      });
      await server.start();
      const result = await handle.result();

      expect(workerFailure).toBeUndefined();
      expect(result.load.outcome).toBe('loaded');
      expect(result.load.mismatches).toEqual([]);
      expect(result.load.source.items).toBe(fixture.queries);
      await expectExactDay(h.ports.warehouse, DAY, countsOf(fixture));
      expect(await loadAudit(h.ports.warehouse, DAY)).toEqual([{ run_id: result.load.runId, outcome: 'loaded' }]);
      // The history survived the kill: the run that finished is the one started before it.
      expect((await handle.describe()).runId).toBe(result.load.runId);
    } finally {
      worker.shutdown();
      await running;
    }
  });
});

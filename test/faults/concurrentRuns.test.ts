import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { dailyReport, dailyReportId, type DailyReportInput } from '../../src/workflows/dailyReport';
import { createPgPool, pgWarehouse } from '../../src/adapters/warehouse/pgWarehouse';
import type { Warehouse } from '../../src/adapters/warehouse/port';
import {
  createPipelineHarness,
  WAREHOUSE_KINDS,
  workflowBundle,
  type PipelineHarness,
} from '../support/pipeline';
import { dayFixture } from '../support/searchItems';
import { createLocalWorkflowEnvironment } from '../support/stack';
import { createTestWorker } from './support/testWorker';
import { countsOf, expectExactDay, loadAudit } from './support/warehouseProbe';

const REFUSED_DAY = '2024-09-01';
const JOINED_DAY = '2024-09-02';

describe.each(WAREHOUSE_KINDS)('two runs of the same day started at once on the %s warehouse', (kind) => {
  let env: TestWorkflowEnvironment;
  let h: PipelineHarness;
  /** The warehouse database read directly, for checks in PostgreSQL's own SQL. */
  let inspect: Warehouse;
  const refusedDay = dayFixture(REFUSED_DAY, 500);
  const joinedDay = dayFixture(JOINED_DAY, 500);

  beforeAll(async () => {
    [env, h] = await Promise.all([
      createLocalWorkflowEnvironment(),
      createPipelineHarness(`faults_concurrent_${kind.replace('-', '_')}`, {}, { warehouseKind: kind }),
    ]);
    inspect = pgWarehouse(createPgPool(h.warehouseDb.url));
    await Promise.all([h.putItems([...refusedDay.items, ...joinedDay.items]), workflowBundle()]);
  });

  afterAll(async () => {
    await inspect?.close();
    await h?.close();
    await env?.teardown();
  });

  async function withWorker<T>(body: () => Promise<T>): Promise<T> {
    const worker = await createTestWorker(env, h);
    return worker.runUntil(body);
  }

  const input = (date: string): DailyReportInput => ({ date, segments: 2, pageLimit: 25, email: 'skip' });

  it('refuses the second start while the first runs, and loads the day once', async () => {
    const options = {
      args: [input(REFUSED_DAY)] as [DailyReportInput],
      taskQueue: h.config.temporal.taskQueue,
      workflowId: dailyReportId(REFUSED_DAY),
    };
    const result = await withWorker(async () => {
      const starts = await Promise.allSettled([
        env.client.workflow.start(dailyReport, options),
        env.client.workflow.start(dailyReport, options),
      ]);
      const started = starts.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
      const refused = starts.flatMap((s) => (s.status === 'rejected' ? [s.reason as unknown] : []));
      expect(started).toHaveLength(1);
      expect(refused).toHaveLength(1);
      expect(refused[0]).toBeInstanceOf(WorkflowExecutionAlreadyStartedError);
      return started[0]!.result();
    });

    expect(result.load.outcome).toBe('loaded');
    await expectExactDay(inspect, REFUSED_DAY, countsOf(refusedDay));
    expect(await loadAudit(inspect, REFUSED_DAY)).toEqual([{ run_id: result.load.runId, outcome: 'loaded' }]);
  });

  it('gives both callers the one run when the second start joins the first', async () => {
    const options = {
      args: [input(JOINED_DAY)] as [DailyReportInput],
      taskQueue: h.config.temporal.taskQueue,
      workflowId: dailyReportId(JOINED_DAY),
      workflowIdConflictPolicy: 'USE_EXISTING' as const,
    };
    const [a, b] = await withWorker(async () => {
      const handles = await Promise.all([
        env.client.workflow.start(dailyReport, options),
        env.client.workflow.start(dailyReport, options),
      ]);
      expect(handles[0].firstExecutionRunId).toBe(handles[1].firstExecutionRunId);
      return Promise.all(handles.map((handle) => handle.result()));
    });

    expect(a).toEqual(b);
    expect(a!.load.outcome).toBe('loaded');
    await expectExactDay(inspect, JOINED_DAY, countsOf(joinedDay));
    expect(await loadAudit(inspect, JOINED_DAY)).toEqual([{ run_id: a!.load.runId, outcome: 'loaded' }]);
  });
});

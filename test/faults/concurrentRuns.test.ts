import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { dailyReport, dailyReportId, type DailyReportInput } from '../../src/workflows/dailyReport';
import { createPipelineHarness, workflowBundle, type PipelineHarness } from '../support/pipeline';
import { dayFixture } from '../support/searchItems';
import { createLocalWorkflowEnvironment } from '../support/stack';
import { createTestWorker } from './support/testWorker';
import { countsOf, expectExactDay, loadAudit } from './support/warehouseProbe';

const REFUSED_DAY = '2024-09-01';
const JOINED_DAY = '2024-09-02';

describe('two runs of the same day started at once', () => {
  let env: TestWorkflowEnvironment;
  let h: PipelineHarness;
  let workers: Worker[];
  const refusedDay = dayFixture(REFUSED_DAY, 500);
  const joinedDay = dayFixture(JOINED_DAY, 500);

  beforeAll(async () => {
    [env, h] = await Promise.all([createLocalWorkflowEnvironment(), createPipelineHarness('faults_concurrent')]);
    await Promise.all([h.putItems([...refusedDay.items, ...joinedDay.items]), workflowBundle()]);
  });

  afterAll(async () => {
    await h?.close();
    await env?.teardown();
  });

  /** Two workers on the queue, as two hosts would be: either may pick up either start. */
  async function withTwoWorkers<T>(body: () => Promise<T>): Promise<T> {
    workers = [await createTestWorker(env, h), await createTestWorker(env, h)];
    const [first, second] = workers as [Worker, Worker];
    return first.runUntil(second.runUntil(body));
  }

  const input = (date: string): DailyReportInput => ({ date, segments: 2, pageLimit: 25, email: 'skip' });

  it('refuses the second start while the first runs, and loads the day once', async () => {
    const options = { args: [input(REFUSED_DAY)], taskQueue: h.config.temporal.taskQueue, workflowId: dailyReportId(REFUSED_DAY) };
    const result = await withTwoWorkers(async () => {
      const starts = await Promise.allSettled([env.client.workflow.start(dailyReport, options), env.client.workflow.start(dailyReport, options)]);
      const started = starts.filter((s) => s.status === 'fulfilled');
      const refused = starts.filter((s) => s.status === 'rejected');
      expect(started).toHaveLength(1);
      expect(refused).toHaveLength(1);
      expect((refused[0] as PromiseRejectedResult).reason).toBeInstanceOf(WorkflowExecutionAlreadyStartedError);
      return (started[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof env.client.workflow.start<typeof dailyReport>>>>).value.result();
    });

    expect(result.load.outcome).toBe('loaded');
    await expectExactDay(h.ports.warehouse, REFUSED_DAY, countsOf(refusedDay));
    expect(await loadAudit(h.ports.warehouse, REFUSED_DAY)).toEqual([{ run_id: result.load.runId, outcome: 'loaded' }]);
  });

  it('gives both callers the one run when the second start joins the first', async () => {
    const options = {
      args: [input(JOINED_DAY)],
      taskQueue: h.config.temporal.taskQueue,
      workflowId: dailyReportId(JOINED_DAY),
      workflowIdConflictPolicy: 'USE_EXISTING' as const,
    };
    const [a, b] = await withTwoWorkers(async () => {
      const handles = await Promise.all([env.client.workflow.start(dailyReport, options), env.client.workflow.start(dailyReport, options)]);
      expect(handles[0].firstExecutionRunId).toBe(handles[1].firstExecutionRunId);
      return Promise.all(handles.map((handle) => handle.result()));
    });

    expect(a).toEqual(b);
    expect(a!.load.outcome).toBe('loaded');
    await expectExactDay(h.ports.warehouse, JOINED_DAY, countsOf(joinedDay));
    expect(await loadAudit(h.ports.warehouse, JOINED_DAY)).toEqual([{ run_id: a!.load.runId, outcome: 'loaded' }]);
  });
});

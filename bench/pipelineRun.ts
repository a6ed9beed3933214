import type { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import type { DailyReportInput, DailyReportResult } from '../src/workflows/dailyReport';

/** One `dailyReport` run on the benchmark's task queue: its result, its history and the client-side wall time. */
export interface PipelineRun {
  readonly workflowId: string;
  readonly result: DailyReportResult;
  readonly history: temporal.api.history.v1.IHistory;
  readonly wallMs: number;
}

export async function runDailyReport(
  client: Client,
  taskQueue: string,
  input: DailyReportInput,
  label: string,
): Promise<PipelineRun> {
  // A fresh id per run: the benchmark must not collide with (or be refused because of) a real run of the day.
  const workflowId = `bench-${label}-${input.date}-${Date.now()}`;
  const started = performance.now();
  const handle = await client.workflow.start('dailyReport', { taskQueue, workflowId, args: [input] });
  const result = (await handle.result()) as DailyReportResult;
  const wallMs = performance.now() - started;
  const history = await handle.fetchHistory();
  return { workflowId, result, history, wallMs };
}

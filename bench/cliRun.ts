import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { tsToMs } from '@temporalio/common/lib/time';
import { dailyReportId, type DailyReportResult } from '../src/workflows/dailyReport';
import { REPO_ROOT } from './benchEnv';
import { activityRuns, stageTimings, type StageTimings } from './history';
import { childOutput } from './childOutput';

/** What users run: `libreport run --date D --no-email --json`, its own worker in the same process. */
export interface CliRunFigures {
  /** The command's whole life: Node's start-up, the in-process worker's start (webpack bundle), the run, exit. */
  readonly processMs: number;
  /** The run's own "to load" figure (`load.durationMs`: workflow start to the day loaded). */
  readonly extractLoadMs: number;
  /** From the workflow's start to its first activity starting: the in-process worker getting ready. */
  readonly workerStartMs: number;
  readonly stages: StageTimings;
  /** The command's kernel high-water RSS (VmHWM, polled every 100 ms until exit). */
  readonly peakRssBytes: number;
}

function hwmBytes(pid: number): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/**
 * Runs the compiled CLI (`dist/cli/main.js run`, as bin/libreport does) with `env` and reads the stages of
 * the run it started from the workflow's history.
 */
export async function runCli(
  client: Client,
  env: NodeJS.ProcessEnv,
  date: string,
  segments: number,
  onStart: (pid: number) => void = () => {},
): Promise<CliRunFigures> {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [
      '--disable-warning=NodeVersionSupportWarning',
      '--max-semi-space-size=4',
      path.join(REPO_ROOT, 'dist', 'cli', 'main.js'),
      'run',
      '--date',
      date,
      '--no-email',
      '--json',
      '--segments',
      String(segments),
    ],
    { cwd: REPO_ROOT, env: { MALLOC_ARENA_MAX: '2', ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const pid = child.pid!;
  onStart(pid);
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, hwmBytes(pid))), 100);
  const { code, stdout, stderr } = await childOutput(child).finally(() => clearInterval(sampler));
  const processMs = performance.now() - started;
  if (code !== 0) throw new Error(`libreport run exited with ${code}: ${stderr.trim().slice(-1000)}`);
  const result = JSON.parse(stdout) as DailyReportResult;
  const history = await client.workflow.getHandle(dailyReportId(date)).fetchHistory();
  const firstStart = Math.min(
    ...activityRuns(history)
      .map((run) => run.startedMs)
      .filter((ms): ms is number => ms !== undefined),
  );
  return {
    processMs,
    extractLoadMs: result.load.durationMs,
    workerStartMs: firstStart - tsToMs(history.events?.[0]?.eventTime),
    stages: stageTimings(history),
    peakRssBytes: peak,
  };
}

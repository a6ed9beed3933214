import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './benchEnv';

export interface RssSample {
  readonly atMs: number;
  readonly bytes: number;
}

/** A `libreport worker` child process, watched for its memory. */
export interface WorkerProcess {
  readonly index: number;
  readonly pid: number;
  /** VmRSS when it started polling (workflow bundle built, before any work), in bytes. */
  readonly readyRssBytes: number;
  /** Highest VmRSS seen since `resetPeak`, sampled every 100 ms, in bytes. */
  runPeakRssBytes(): number;
  /** The kernel's high-water mark (VmHWM) over the whole process, startup included, in bytes. */
  highWaterRssBytes(): number;
  /** Highest sampled VmRSS of the worker's child processes together (the report renderer), in bytes. */
  childPeakRssBytes(): number;
  /** Highest sampled VmRSS of the worker plus its children at the same moment, in bytes. */
  combinedPeakRssBytes(): number;
  resetPeak(): void;
  /** VmRSS samples (epoch ms, bytes) since `resetPeak`, to attribute the peak to a stage. */
  samples(): readonly RssSample[];
  /** SIGTERM, then SIGKILL if it has not exited after 20 s (a CPU profile is written on a clean exit). */
  stop(): Promise<void>;
}

const READY_LINE = 'worker polling task queue';
const READY_TIMEOUT_MS = 120_000;
const SAMPLE_MS = 100;

/** The worker's child processes (the report renderer lives in one for a second or so per render). */
function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(
      readFileSync(`/proc/${pid}/status`, 'utf8'),
    );
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

export interface WorkerOptions {
  /** Write a V8 CPU profile here when the worker exits. */
  readonly cpuProfDir?: string;
  /** Each worker's stderr goes to `worker-<n>.log` here. */
  readonly logDir: string;
  /** A workflow bundle built beforehand: the worker skips webpack (see prebundledWorker.ts). */
  readonly workflowBundlePath?: string;
  readonly log: (line: string) => void;
}

/** Starts `count` workers with `env` and waits until each polls the task queue. */
export async function startWorkers(
  count: number,
  env: NodeJS.ProcessEnv,
  options: WorkerOptions,
): Promise<WorkerProcess[]> {
  return Promise.all(Array.from({ length: count }, (_, index) => startWorker(index, env, options)));
}

async function startWorker(
  index: number,
  env: NodeJS.ProcessEnv,
  options: WorkerOptions,
): Promise<WorkerProcess> {
  const profiling: string[] = [];
  if (options.cpuProfDir) {
    mkdirSync(options.cpuProfDir, { recursive: true });
    profiling.push('--cpu-prof', '--cpu-prof-dir', options.cpuProfDir);
  }
  // The worker runs the compiled build, as the image does (`npm run build`, see run.ts); only the
  // prebundled diagnostic runs TypeScript through tsx.
  const entry = options.workflowBundlePath
    ? [
        '--import',
        path.join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs'),
        path.join(REPO_ROOT, 'bench', 'prebundledWorker.ts'),
        options.workflowBundlePath,
      ]
    : [path.join(REPO_ROOT, 'dist', 'cli', 'main.js'), 'worker'];
  // bin/libreport's V8 flag for the young generation, unless the run's NODE_OPTIONS set their own.
  const v8Flags = /max-semi-space-size/.test(env.NODE_OPTIONS ?? '') ? [] : ['--max-semi-space-size=4'];
  const child = spawn(
    process.execPath,
    ['--disable-warning=NodeVersionSupportWarning', ...v8Flags, ...profiling, ...entry],
    // Started without bin/libreport, so set what it sets for the worker's memory (an explicit value wins).
    { cwd: REPO_ROOT, env: { MALLOC_ARENA_MAX: '2', ...env }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const pid = child.pid!;
  const tail: string[] = [];
  mkdirSync(options.logDir, { recursive: true });
  const logFile = path.join(options.logDir, `worker-${index + 1}.log`);
  await waitForReady(child, tail, createWriteStream(logFile));
  options.log(`worker ${index + 1} (pid ${pid}) is polling; its log: ${path.relative(REPO_ROOT, logFile)}`);
  const readyRssBytes = statusKb(pid, 'VmRSS') * 1024;
  let peakKb = 0;
  let childPeakKb = 0;
  let combinedPeakKb = 0;
  let lastHwmKb = 0;
  let samples: RssSample[] = [];
  const sampler = setInterval(() => {
    const rssKb = statusKb(pid, 'VmRSS');
    const childrenKb = childPids(pid).reduce((sum, child) => sum + statusKb(child, 'VmRSS'), 0);
    samples.push({ atMs: Date.now(), bytes: rssKb * 1024 });
    peakKb = Math.max(peakKb, rssKb);
    childPeakKb = Math.max(childPeakKb, childrenKb);
    combinedPeakKb = Math.max(combinedPeakKb, rssKb + childrenKb);
    lastHwmKb = Math.max(lastHwmKb, statusKb(pid, 'VmHWM'));
  }, SAMPLE_MS);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    index,
    pid,
    readyRssBytes,
    runPeakRssBytes: () => Math.max(peakKb, statusKb(pid, 'VmRSS')) * 1024,
    highWaterRssBytes: () => Math.max(lastHwmKb, statusKb(pid, 'VmHWM')) * 1024,
    childPeakRssBytes: () => childPeakKb * 1024,
    combinedPeakRssBytes: () => combinedPeakKb * 1024,
    resetPeak: () => {
      peakKb = statusKb(pid, 'VmRSS');
      childPeakKb = 0;
      combinedPeakKb = peakKb;
      samples = [];
    },
    samples: () => samples,
    async stop() {
      lastHwmKb = Math.max(lastHwmKb, statusKb(pid, 'VmHWM'));
      clearInterval(sampler);
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

function waitForReady(child: ChildProcess, tail: string[], logStream: WriteStream): Promise<void> {
  return new Promise((resolve, reject) => {
    let ready = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`worker did not start polling within ${READY_TIMEOUT_MS / 1000}s: ${tail.join(' | ')}`),
      );
    }, READY_TIMEOUT_MS);
    child.stderr!.setEncoding('utf8');
    child.stderr!.pipe(logStream);
    child.stderr!.on('data', (text: string) => {
      for (const line of text.split('\n').filter(Boolean)) {
        tail.push(line);
        if (tail.length > 10) tail.shift();
      }
      if (!ready && text.includes(READY_LINE)) {
        ready = true;
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (!ready) reject(new Error(`worker exited (${signal ?? code}) before polling: ${tail.join(' | ')}`));
    });
  });
}

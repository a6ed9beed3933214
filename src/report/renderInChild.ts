import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
// Only types and errors from the report: importing its code would load the renderer into the worker.
import { RenderTimeoutError, TemplateError, UserInputError } from '../errors';
import type { RenderOptions, RenderedReport, ReportData } from './types';

/**
 * Renders a report in a short-lived child process.
 *
 * Why: the renderer (canvas with its native cairo heap, Chart.js, MJML and its HTML tool chain) is the
 * largest thing a worker would ever load, for a second of work a day. Loaded in the worker it stayed
 * resident for good and set the worker's peak (277 MB while sending against the scan's 257 MB, `npm run
 * bench`); a child holds its ~150 MB for about a second per render, most of it start-up.
 */
export async function renderReportInChild(
  data: ReportData,
  options: RenderOptions,
  killAfterMs = RENDER_TIMEOUT_MS,
): Promise<RenderedReport> {
  await slots.acquire();
  try {
    return await renderOnce({ data, options }, killAfterMs);
  } finally {
    slots.release();
  }
}

export interface RenderRequest {
  readonly data: ReportData;
  readonly options: RenderOptions;
}

export type RenderReply =
  | { readonly ok: true; readonly report: RenderedReport }
  | { readonly ok: false; readonly error: { readonly name: string; readonly message: string } };

/**
 * A render takes about a second; far past that, the child is stuck. Callers inside an activity pass a limit
 * shorter than the attempt's start-to-close timeout, so the attempt fails saying the renderer hung rather
 * than being timed out with no cause.
 */
export const RENDER_TIMEOUT_MS = 90_000;

/** Renders at once at most: a backfill of many days must not start a renderer per day in one go. */
const MAX_CONCURRENT_RENDERS = 2;

/** Errors the renderer throws on purpose keep their class, so they stay non-retryable across the process. */
const KNOWN_ERRORS: Record<string, new (message: string) => Error> = { UserInputError, TemplateError };

/**
 * How long a renderer started ahead of its request (`warmRenderer`) waits for one before it is stopped: longer
 * than a mart refresh of a large day, short enough that a day that never renders (it failed its quality
 * check) does not keep ~150 MB for long.
 */
export const SPARE_IDLE_MS = 120_000;

/** The renderer started ahead of its request, if one is waiting; at most one. */
let spare: { readonly child: ChildProcess; readonly idle: NodeJS.Timeout } | undefined;

/**
 * Starts a renderer now, for the next render of this process to take. Most of a render is the child's
 * start-up (~0.5 s of loading canvas, Chart.js and MJML before it can read its request), which can then run
 * while the worker waits on something else: the mart's refresh, all SQL. A render with no spare waiting
 * starts its own child as before. The spare does not keep the process alive, leaves when the process does
 * (its IPC channel closes), and is stopped after `idleMs` unused.
 */
export function warmRenderer(idleMs = SPARE_IDLE_MS): void {
  if (spare) return;
  const child = forkRenderer();
  const idle = setTimeout(() => {
    if (spare?.child === child) spare = undefined;
    child.kill();
  }, idleMs).unref();
  spare = { child, idle };
  child.once('exit', () => {
    clearTimeout(idle);
    if (spare?.child === child) spare = undefined;
  });
  child.once('error', () => child.kill());
  child.unref();
  child.channel?.unref();
}

/** The waiting spare, now the caller's (kept alive again), or undefined when none is ready to serve. */
function takeSpare(): ChildProcess | undefined {
  const taken = spare;
  spare = undefined;
  if (!taken) return undefined;
  clearTimeout(taken.idle);
  if (!taken.child.connected || taken.child.exitCode !== null || taken.child.signalCode !== null) {
    taken.child.kill();
    return undefined;
  }
  taken.child.ref();
  taken.child.channel?.ref();
  return taken.child;
}

/** The pid of the renderer waiting for a request, if any (for tests and diagnostics). */
export function spareRendererPid(): number | undefined {
  return spare?.child.pid;
}

function forkRenderer(): ChildProcess {
  const { entry, execArgv } = childEntry();
  // `advanced` serialization carries the chart PNG Buffers as bytes, not as JSON arrays of numbers.
  return fork(entry, [], {
    execArgv,
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

function renderOnce(request: RenderRequest, killAfterMs: number): Promise<RenderedReport> {
  return new Promise<RenderedReport>((resolve, reject) => {
    const child = takeSpare() ?? forkRenderer();
    let reply: RenderReply | undefined;
    let killed = false;
    // A hung renderer must not hold its slot (and the activity) forever: kill it, and the exit rejects.
    const deadline = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, killAfterMs).unref();
    child.once('message', (message: RenderReply) => (reply = message));
    child.once('error', (error) => {
      clearTimeout(deadline);
      reject(error);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(deadline);
      if (!reply && killed) {
        reject(
          new RenderTimeoutError(
            `the report renderer did not finish within ${killAfterMs} ms and was stopped`,
          ),
        );
      } else if (!reply) {
        reject(new Error(`the report renderer exited before replying (${signal ?? `exit code ${code}`})`));
      } else if (reply.ok) {
        resolve(withBuffers(reply.report));
      } else {
        const Known = KNOWN_ERRORS[reply.error.name];
        const error = Known ? new Known(reply.error.message) : new Error(reply.error.message);
        if (!Known) error.name = reply.error.name;
        reject(error);
      }
    });
    child.send(request);
  });
}

/** Structured clone turns Buffers into plain Uint8Arrays; the mailer expects Buffers. */
function withBuffers(report: RenderedReport): RenderedReport {
  return {
    ...report,
    images: report.images.map((image) => ({
      ...image,
      png: Buffer.from(image.png.buffer, image.png.byteOffset, image.png.byteLength),
    })),
  };
}

/**
 * The child's entry next to this file: compiled JavaScript in the build, TypeScript through tsx when the
 * worker itself runs from source (the CLI without a build, the tests).
 */
function childEntry(): { entry: string; execArgv: string[] } {
  const fromSource = __filename.endsWith('.ts');
  return {
    entry: path.join(__dirname, fromSource ? 'renderChild.ts' : 'renderChild.js'),
    execArgv: fromSource ? ['--import', require.resolve('tsx')] : [],
  };
}

/** A counting semaphore. */
const slots = (() => {
  let free = MAX_CONCURRENT_RENDERS;
  const waiting: (() => void)[] = [];
  return {
    async acquire(): Promise<void> {
      if (free > 0) {
        free--;
        return;
      }
      await new Promise<void>((resolve) => waiting.push(resolve));
    },
    release(): void {
      const next = waiting.shift();
      if (next) next();
      else free++;
    },
  };
})();

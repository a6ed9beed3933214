/**
 * Progress of a long load: a redrawn bar with rate and ETA on a terminal, one plain line every few
 * seconds otherwise (CI logs, pipes), so neither floods the output.
 */
export interface Progress {
  advance(count: number): void;
  /** Prints the final state (always, so a log shows the end even of a short run). */
  finish(): void;
}

/** The part of a stream the reporter writes to (`process.stderr` fits). */
export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

export interface ProgressOptions {
  readonly label: string;
  readonly total: number;
  readonly stream: ProgressStream;
  readonly now?: () => number;
  /** Minimum time between redraws on a terminal. */
  readonly ttyIntervalMs?: number;
  /** Time between lines when not a terminal. */
  readonly plainIntervalMs?: number;
}

export interface ProgressState {
  readonly label: string;
  readonly done: number;
  readonly total: number;
  readonly elapsedMs: number;
}

export function createProgress(options: ProgressOptions): Progress {
  const now = options.now ?? Date.now;
  const tty = options.stream.isTTY === true;
  const interval = tty ? (options.ttyIntervalMs ?? 150) : (options.plainIntervalMs ?? 5_000);
  const started = now();
  let done = 0;
  let lastDraw = started;
  const state = (): ProgressState => ({
    label: options.label,
    done,
    total: options.total,
    elapsedMs: now() - started,
  });

  function draw(final: boolean): void {
    if (tty) {
      const width = Math.max(10, Math.min(40, (options.stream.columns ?? 80) - 60));
      options.stream.write(`\r\x1b[2K${formatProgressBar(state(), width)}${final ? '\n' : ''}`);
    } else {
      options.stream.write(`${formatProgressLine(state())}\n`);
    }
  }

  return {
    advance(count: number): void {
      done += count;
      const t = now();
      if (t - lastDraw >= interval) {
        lastDraw = t;
        draw(false);
      }
    },
    finish(): void {
      draw(true);
    },
  };
}

/** Items per second so far (0 before any time has passed). */
export function rate(state: ProgressState): number {
  return state.elapsedMs > 0 ? (state.done * 1000) / state.elapsedMs : 0;
}

/** `items 450,000/1,000,000 (45.0%) 5,230/s ETA 1m45s` */
export function formatProgressLine(state: ProgressState): string {
  const percent = state.total > 0 ? ((100 * state.done) / state.total).toFixed(1) : '100.0';
  return `${state.label} ${count(state.done)}/${count(state.total)} (${percent}%) ${count(Math.round(rate(state)))}/s ${eta(state)}`;
}

/** `items [██████░░░░] 45.0% 450,000/1,000,000 5,230/s ETA 1m45s` */
export function formatProgressBar(state: ProgressState, width: number): string {
  const fraction = state.total > 0 ? Math.min(1, state.done / state.total) : 1;
  const filled = Math.round(fraction * width);
  const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
  return `${state.label} [${bar}] ${(fraction * 100).toFixed(1)}% ${count(state.done)}/${count(state.total)} ${count(Math.round(rate(state)))}/s ${eta(state)}`;
}

function eta(state: ProgressState): string {
  if (state.done >= state.total) return `done in ${duration(state.elapsedMs)}`;
  const r = rate(state);
  return r > 0 ? `ETA ${duration(((state.total - state.done) / r) * 1000)}` : 'ETA …';
}

/** `1h02m`, `1m45s`, `12s`. */
export function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

import type { Progress } from '../seed/progress';

/**
 * A progress display for long work: a bar redrawn in place with rate and ETA on a terminal, one
 * plain line every few seconds otherwise (CI logs, pipes), so neither floods the output.
 */
export interface ProgressBar {
  /** Reports the absolute position (`done` of `total`), with an optional short note such as "2 running". */
  update(done: number, total: number, note?: string): void;
  /** Draws the final state and ends the line. */
  finish(note?: string): void;
}

/** The part of a stream the bar writes to (`process.stderr` fits). */
export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

export interface ProgressBarOptions {
  /** What is counted, e.g. "days". */
  readonly label: string;
  readonly stream: ProgressStream;
  readonly now?: () => number;
  /** Time between lines when the stream is not a terminal. */
  readonly plainIntervalMs?: number;
}

/** A position at a moment, enough to format the bar. */
export interface ProgressSnapshot {
  readonly label: string;
  readonly done: number;
  readonly total: number;
  /** Since the bar was created. */
  readonly elapsedMs: number;
  /** `done` when the bar was created: work finished before we started watching does not count toward the rate. */
  readonly doneAtStart: number;
  readonly note?: string;
}

export function createProgressBar(options: ProgressBarOptions): ProgressBar {
  const now = options.now ?? Date.now;
  const tty = options.stream.isTTY === true;
  const plainInterval = options.plainIntervalMs ?? 5_000;
  const started = now();
  let doneAtStart: number | undefined;
  let last: ProgressSnapshot | undefined;
  let lastPlainLine = -Infinity;
  let lastPlainText = '';

  function draw(snapshot: ProgressSnapshot, final: boolean): void {
    if (tty) {
      const width = Math.max(10, Math.min(40, (options.stream.columns ?? 80) - 50));
      options.stream.write(`\r\x1b[2K${formatProgressBar(snapshot, width)}${final ? '\n' : ''}`);
      return;
    }
    const text = formatProgressLine(snapshot);
    // Plain output: a line when something changed and enough time passed, and always the last one.
    if (final || (text !== lastPlainText && now() - lastPlainLine >= plainInterval)) {
      options.stream.write(`${text}\n`);
      lastPlainLine = now();
      lastPlainText = text;
    }
  }

  return {
    update(done, total, note) {
      doneAtStart ??= done;
      last = { label: options.label, done, total, elapsedMs: now() - started, doneAtStart, note };
      draw(last, false);
    },
    finish(note) {
      const base = last ?? { label: options.label, done: 0, total: 0, elapsedMs: 0, doneAtStart: 0 };
      draw({ ...base, elapsedMs: now() - started, note: note ?? base.note }, true);
    },
  };
}

/** Units per second since watching began (0 before any finished). */
export function progressRate(snapshot: ProgressSnapshot): number {
  const gained = snapshot.done - snapshot.doneAtStart;
  return snapshot.elapsedMs > 0 && gained > 0 ? (gained * 1000) / snapshot.elapsedMs : 0;
}

/** `days 3/7 (42.9%) 0.5/s ETA 8s · 2 running` */
export function formatProgressLine(snapshot: ProgressSnapshot): string {
  const percent = snapshot.total > 0 ? ((100 * snapshot.done) / snapshot.total).toFixed(1) : '100.0';
  return `${snapshot.label} ${snapshot.done}/${snapshot.total} (${percent}%) ${formatRate(snapshot)} ${eta(snapshot)}${noteOf(snapshot)}`;
}

/** `days [████████░░░░░░░░] 42.9% 3/7 0.5/s ETA 8s · 2 running` */
export function formatProgressBar(snapshot: ProgressSnapshot, width: number): string {
  return `${snapshot.label} ${formatBar(snapshot.done, snapshot.total, width)} ${snapshot.done}/${snapshot.total} ${formatRate(snapshot)} ${eta(snapshot)}${noteOf(snapshot)}`;
}

/** `[████████░░░░░░░░] 42.9%`: the bar alone, for one-off displays such as a status. */
export function formatBar(done: number, total: number, width: number): string {
  const fraction = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(fraction * width);
  return `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${(fraction * 100).toFixed(1)}%`;
}

function formatRate(snapshot: ProgressSnapshot): string {
  const rate = progressRate(snapshot);
  if (rate === 0) return '–/s';
  return rate >= 1 ? `${rate.toFixed(1)}/s` : `${(rate * 60).toFixed(1)}/min`;
}

function eta(snapshot: ProgressSnapshot): string {
  if (snapshot.total > 0 && snapshot.done >= snapshot.total)
    return `done in ${formatDuration(snapshot.elapsedMs)}`;
  const rate = progressRate(snapshot);
  return rate > 0 ? `ETA ${formatDuration(((snapshot.total - snapshot.done) / rate) * 1000)}` : 'ETA …';
}

function noteOf(snapshot: ProgressSnapshot): string {
  return snapshot.note ? ` · ${snapshot.note}` : '';
}

/** `1h02m`, `1m45s`, `12s`. */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** A bar over a known total fed by increments, for work that reports "n more done" (the seeder's loads). */
export function countProgress(label: string, total: number, stream: ProgressStream): Progress {
  const bar = createProgressBar({ label, stream });
  let done = 0;
  bar.update(0, total);
  return {
    advance(count) {
      done += count;
      bar.update(done, total);
    },
    finish: () => bar.finish(),
  };
}

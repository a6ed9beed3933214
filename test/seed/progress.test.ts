import { createProgress, duration, formatProgressBar, formatProgressLine } from '../../src/seed/progress';

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, columns: 120, write: (t: string) => writes.push(t) } };
}

describe('progress', () => {
  it('formats rate and ETA from what is done so far', () => {
    expect(formatProgressLine({ label: 'items', done: 450_000, total: 1_000_000, elapsedMs: 90_000 })).toBe(
      'items 450,000/1,000,000 (45.0%) 5,000/s ETA 1m50s',
    );
    expect(formatProgressLine({ label: 'items', done: 10, total: 10, elapsedMs: 2_000 })).toBe(
      'items 10/10 (100.0%) 5/s done in 2s',
    );
    const bar = formatProgressBar({ label: 'items', done: 50, total: 100, elapsedMs: 1_000 }, 10);
    expect(bar).toContain('[█████░░░░░] 50.0%');
    expect(duration(3_725_000)).toBe('1h02m');
  });

  it('prints a plain line every few seconds when not on a terminal', () => {
    let now = 0;
    const { writes, stream } = fakeStream(false);
    const progress = createProgress({
      label: 'items',
      total: 1000,
      stream,
      now: () => now,
      plainIntervalMs: 5_000,
    });
    for (let i = 0; i < 100; i++) {
      now += 100;
      progress.advance(10);
    }
    progress.finish();
    // 10 s of work: one line at 5 s, one at 10 s, and the final line.
    expect(writes).toHaveLength(3);
    expect(writes.every((w) => w.endsWith('\n') && !w.includes('\r'))).toBe(true);
    expect(writes[2]).toBe('items 1,000/1,000 (100.0%) 100/s done in 10s\n');
  });

  it('redraws one bar in place on a terminal', () => {
    let now = 0;
    const { writes, stream } = fakeStream(true);
    const progress = createProgress({
      label: 'items',
      total: 100,
      stream,
      now: () => now,
      ttyIntervalMs: 100,
    });
    for (let i = 0; i < 10; i++) {
      now += 50;
      progress.advance(10);
    }
    progress.finish();
    expect(writes.length).toBe(6);
    expect(writes.every((w) => w.startsWith('\r'))).toBe(true);
    expect(writes.at(-1)!.endsWith('\n')).toBe(true);
  });
});

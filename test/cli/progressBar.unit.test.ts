import {
  createProgressBar,
  formatBar,
  formatProgressLine,
  type ProgressStream,
} from '../../src/cli/progressBar';

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  const stream: ProgressStream = { isTTY, columns: 100, write: (text: string) => writes.push(text) };
  return { stream, writes };
}

describe('progress bar', () => {
  it('shows position, rate since watching began, and ETA', () => {
    // 4 more days in 8 s = 0.5/s; 6 left → 12 s.
    expect(
      formatProgressLine({
        label: 'days',
        done: 6,
        total: 12,
        elapsedMs: 8_000,
        doneAtStart: 2,
        note: '2 running',
      }),
    ).toBe('days 6/12 (50.0%) 30.0/min ETA 12s · 2 running');
    expect(formatProgressLine({ label: 'days', done: 2, total: 12, elapsedMs: 8_000, doneAtStart: 2 })).toBe(
      'days 2/12 (16.7%) –/s ETA …',
    );
    expect(
      formatProgressLine({ label: 'days', done: 12, total: 12, elapsedMs: 75_000, doneAtStart: 0 }),
    ).toMatch(/done in 1m15s$/);
    expect(formatBar(3, 4, 8)).toBe('[██████░░] 75.0%');
    expect(formatBar(0, 0, 4)).toBe('[████] 100.0%');
  });

  it('redraws one line in place on a terminal', () => {
    const { stream, writes } = fakeStream(true);
    let t = 0;
    const bar = createProgressBar({ label: 'days', stream, now: () => t });
    bar.update(0, 4);
    t = 2_000;
    bar.update(2, 4);
    bar.finish();
    expect(writes).toHaveLength(3);
    for (const w of writes) expect(w.startsWith('\r\x1b[2K')).toBe(true);
    expect(writes[1]).toContain('[');
    expect(writes[2]!.endsWith('\n')).toBe(true);
  });

  it('prints plain lines, no more often than the interval, and always the last', () => {
    const { stream, writes } = fakeStream(false);
    let t = 0;
    const bar = createProgressBar({ label: 'days', stream, now: () => t, plainIntervalMs: 5_000 });
    bar.update(0, 4);
    t = 1_000;
    bar.update(1, 4);
    t = 6_000;
    bar.update(2, 4);
    t = 7_000;
    bar.update(4, 4);
    bar.finish();
    expect(writes.map((w) => w.split(' ')[1])).toEqual(['0/4', '2/4', '4/4']);
    expect(writes.every((w) => !w.includes('\x1b'))).toBe(true);
  });
});

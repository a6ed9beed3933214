import { spawnSync } from 'node:child_process';
import { cpuSnapshot, cpuUsed, type CpuSnapshot } from '../../bench/cpuTime';
import { compare } from '../../bench/trialFigures';

const snapshot = (entries: [string, CpuSnapshot extends Map<string, infer V> ? V : never][]): CpuSnapshot =>
  new Map(entries);

describe("the bench's CPU accounting", () => {
  it("counts a PostgreSQL backend that exited during the phase once, through its postmaster's reaped time", () => {
    const before = snapshot([
      ['100', { group: 'postgres', seconds: 10, reapedByParent: false }],
      ['101', { group: 'postgres', seconds: 3, reapedByParent: true }],
      ['200', { group: 'dynalite', seconds: 50, reapedByParent: false }],
    ]);
    // Backend 101 used 2 s more and exited: its whole 5 s landed in the postmaster's cutime.
    const after = snapshot([
      ['100', { group: 'postgres', seconds: 15, reapedByParent: false }],
      ['102', { group: 'postgres', seconds: 1, reapedByParent: true }],
      ['200', { group: 'dynalite', seconds: 54, reapedByParent: false }],
    ]);
    const used = cpuUsed(before, after);
    expect(used.postgres).toBeCloseTo(3);
    expect(used.dynalite).toBeCloseTo(4);
  });

  it("counts the worker's exited children (the report's render child) as the renderer, not the worker", () => {
    // This test's process plays the worker; a child that spends 0.5 CPU-s (not wall seconds, so a busy
    // machine cannot shorten it) and exits plays the render child.
    const tracked = { workerPids: [process.pid], dynamoPort: '0' };
    const before = cpuSnapshot(tracked);
    spawnSync(process.execPath, ['-e', 'while (process.cpuUsage().user < 500000);']);
    const used = cpuUsed(before, cpuSnapshot(tracked));
    expect(used.renderer).toBeGreaterThanOrEqual(0.5);
    expect(used.worker).toBeLessThan(used.renderer / 2);
  });

  it('gives the utilisation ratio as end-to-end wall over the CPU-s of worker, its renderer, dynalite and PostgreSQL on 2 cores', () => {
    const cpu = {
      worker: 5,
      renderer: 1,
      dynalite: 8,
      postgres: 6,
      pgBench: 4,
      temporal: 9,
      bench: 9,
      machine: 99,
    };
    const stages = {
      'extract+explode': 8_000,
      load: 1_000,
      mart: 1_000,
      render: undefined,
      send: undefined,
      endToEnd: 12_000,
      other: 2_000,
    };
    const straightforward = {
      items: 1,
      rows: {},
      wallMs: 20_000,
      scanMs: 1,
      maxRssBytes: 1,
      ownCpuSeconds: 1,
    };
    const c = compare(
      { stages, extractLoadMs: 9_000, cpuSeconds: cpu },
      { ...straightforward, processMs: 1 },
      undefined,
      undefined,
    );
    expect(c.utilisation).toBeCloseTo(12 / (20 / 2));
    expect(c.utilisationBenchBackends).toBeCloseTo(12 / (18 / 2));
    expect(c.extractLoadVsStraightforward).toBeCloseTo(0.45);
    expect(c.endToEndVsStraightforward).toBeCloseTo(0.6);
  });
});

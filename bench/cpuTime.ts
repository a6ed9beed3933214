import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU seconds used by the processes that share the machine during a run (worker, dynalite, PostgreSQL,
 * Temporal), from /proc. With 2 cores, this shows which process the run was waiting on.
 */

/** Linux reports utime/stime in clock ticks; 100 per second on every kernel we run on. */
const TICKS_PER_SECOND = 100;

/**
 * Which group a process belongs to; undefined for processes we do not track. `postgres` is the whole
 * PostgreSQL server (postmaster and every child, exited backends included through the postmaster's
 * cutime), which other work on the machine shares; `pgBench` is the part of it spent in backends connected
 * to a benchmark database (a subset of `postgres`, sampled: see `CpuSampler`).
 */
export type ProcessGroup =
  'worker' | 'renderer' | 'dynalite' | 'postgres' | 'pgBench' | 'temporal' | 'bench' | 'machine';

export const PROCESS_GROUPS: readonly ProcessGroup[] = [
  'worker',
  'renderer',
  'dynalite',
  'postgres',
  'pgBench',
  'temporal',
  'bench',
  'machine',
];

/**
 * Busy CPU seconds of the whole machine so far, every process included (user, nice, system, irq, softirq and
 * steal from /proc/stat's `cpu` line): with `CpuSampler`, the `machine` group, which shows how much of the two
 * cores other work took while the bench ran.
 */
function machineBusySeconds(): number {
  try {
    const fields = readFileSync('/proc/stat', 'utf8')
      .split('\n')[0]!
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    const [user, nice, system, , , irq, softirq, steal] = fields;
    return (
      ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) /
      TICKS_PER_SECOND
    );
  } catch {
    return 0;
  }
}

interface Stat {
  readonly ppid: number;
  /** utime + stime, seconds. */
  readonly own: number;
  /** cutime + cstime: children already waited for, seconds. */
  readonly children: number;
}

function statOf(pid: string): Stat | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name: ppid is the 2nd; utime, stime, cutime, cstime the 12th–15th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return {
      ppid: Number(fields[1]),
      own: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND,
      children: (Number(fields[13]) + Number(fields[14])) / TICKS_PER_SECOND,
    };
  } catch {
    return undefined;
  }
}

function commandLine(pid: string): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
  } catch {
    return '';
  }
}

export type CpuSnapshot = Map<string, { group: ProcessGroup; seconds: number; reapedByParent: boolean }>;

export interface TrackedProcesses {
  readonly workerPids: readonly number[];
  readonly dynamoPort: string;
  /** Databases whose backends count as `pgBench`. */
  readonly benchDatabases?: readonly string[];
}

/**
 * CPU seconds so far of every tracked process, by pid. A PostgreSQL process counts its own time plus its
 * reaped children's, so backends that come and go between two snapshots are counted (in the postmaster).
 */
export function cpuSnapshot(tracked: TrackedProcesses): CpuSnapshot {
  const snapshot: CpuSnapshot = new Map();
  const stats = new Map<string, Stat>();
  const commands = new Map<string, string>();
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    const cmd = commandLine(pid);
    const stat = cmd ? statOf(pid) : undefined;
    if (!stat) continue;
    stats.set(pid, stat);
    commands.set(pid, cmd);
  }
  const postmasters = new Set(
    [...commands].filter(([, cmd]) => /(^|\/)postgres\s.*-D\s/.test(cmd)).map(([pid]) => Number(pid)),
  );
  for (const [pid, stat] of stats) {
    const cmd = commands.get(pid)!;
    let group: ProcessGroup | undefined;
    let withChildren = false;
    if (tracked.workerPids.includes(Number(pid))) {
      group = 'worker';
      // The worker's only children are the reports' render children (src/report/renderInChild.ts), counted apart
      // once they exit, as their peak RSS is: their cost is per report, not per item.
      snapshot.set(`renderer:${pid}`, { group: 'renderer', seconds: stat.children, reapedByParent: false });
    } else if (Number(pid) === process.pid) group = 'bench';
    else if (cmd.includes('dynalite') && cmd.includes(`--port ${tracked.dynamoPort}`)) group = 'dynalite';
    else if (postmasters.has(Number(pid))) {
      group = 'postgres';
      withChildren = true;
    } else if (postmasters.has(stat.ppid)) group = 'postgres';
    else if (/temporal\S* server start-dev/.test(cmd)) group = 'temporal';
    if (!group) continue;
    const reapedByParent = group === 'postgres' && !postmasters.has(Number(pid));
    snapshot.set(pid, {
      group,
      seconds: stat.own + (withChildren ? stat.children : 0),
      reapedByParent,
    });
    if (reapedByParent && isBenchBackend(cmd, tracked.benchDatabases))
      snapshot.set(`pgBench:${pid}`, { group: 'pgBench', seconds: stat.own, reapedByParent: false });
  }
  return snapshot;
}

/** `postgres: 15/main: user database host(port) state`: a backend connected to one of `databases`. */
function isBenchBackend(cmd: string, databases: readonly string[] | undefined): boolean {
  if (!databases?.length) return false;
  const words = cmd.split(/\s+/);
  return databases.some((db) => words.includes(db));
}

/**
 * CPU seconds each group used between two snapshots. Processes that started in between count from zero; a
 * PostgreSQL child that exited in between is counted whole in its postmaster's cutime, so the part it had
 * already used at `before` is taken off again.
 */
export function cpuUsed(before: CpuSnapshot, after: CpuSnapshot): Record<ProcessGroup, number> {
  const used = Object.fromEntries(PROCESS_GROUPS.map((g) => [g, 0])) as Record<ProcessGroup, number>;
  for (const [pid, now] of after) used[now.group] += now.seconds - (before.get(pid)?.seconds ?? 0);
  for (const [pid, then] of before)
    if (then.reapedByParent && !after.has(pid)) used[then.group] -= then.seconds;
  return used;
}

/**
 * Snapshots every `intervalMs` while a phase runs, so a benchmark backend that lives and dies inside the
 * phase is still counted in `pgBench` (up to its last sample); the other groups come from the first and
 * last snapshots alone, as `cpuUsed` gives them.
 */
export class CpuSampler {
  private readonly first: CpuSnapshot;
  private readonly machineBefore = machineBusySeconds();
  private readonly seen = new Map<string, number>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly tracked: () => TrackedProcesses,
    intervalMs = 250,
  ) {
    this.first = cpuSnapshot(tracked());
    this.timer = setInterval(() => this.sample(cpuSnapshot(this.tracked())), intervalMs);
  }

  private sample(snapshot: CpuSnapshot): void {
    for (const [key, entry] of snapshot)
      if (entry.group === 'pgBench') this.seen.set(key, entry.seconds - (this.first.get(key)?.seconds ?? 0));
  }

  stop(): Record<ProcessGroup, number> {
    clearInterval(this.timer);
    const last = cpuSnapshot(this.tracked());
    this.sample(last);
    const used = cpuUsed(this.first, last);
    used.pgBench = [...this.seen.values()].reduce((sum, seconds) => sum + seconds, 0);
    used.machine = machineBusySeconds() - this.machineBefore;
    return used;
  }
}

/** CPU seconds of this process's children that have exited and been waited for (cutime + cstime). */
export function reapedChildrenCpuSeconds(): number {
  return statOf('self')?.children ?? 0;
}

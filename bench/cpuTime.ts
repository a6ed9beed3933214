import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU seconds used by the processes that share the machine during a run (worker, dynalite, PostgreSQL,
 * Temporal), from /proc. With 2 cores, this shows which process the run was waiting on.
 */

/** Linux reports utime/stime in clock ticks; 100 per second on every kernel we run on. */
const TICKS_PER_SECOND = 100;

/** Which group a process belongs to, from its command line; undefined for processes we do not track. */
export type ProcessGroup = 'worker' | 'dynalite' | 'postgres' | 'temporal' | 'bench';

/** With `withChildren`, adds the CPU of the process's exited children (a worker's report renderers). */
function cpuSecondsOf(pid: string, withChildren = false): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are the 12th and 13th of those,
    // cutime and cstime (children already waited for) the 14th and 15th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const own = Number(fields[11]) + Number(fields[12]);
    const children = withChildren ? Number(fields[13]) + Number(fields[14]) : 0;
    return (own + children) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

function commandLine(pid: string): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

export type CpuSnapshot = Map<string, { group: ProcessGroup; seconds: number }>;

/** CPU seconds so far of every tracked process, by pid. */
export function cpuSnapshot(groups: { workerPids: readonly number[]; dynamoPort: string }): CpuSnapshot {
  const snapshot: CpuSnapshot = new Map();
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    const cmd = commandLine(pid);
    let group: ProcessGroup | undefined;
    if (groups.workerPids.includes(Number(pid))) group = 'worker';
    else if (Number(pid) === process.pid) group = 'bench';
    else if (cmd.includes('dynalite') && cmd.includes(`--port ${groups.dynamoPort}`)) group = 'dynalite';
    else if (cmd.startsWith('postgres')) group = 'postgres';
    else if (/temporal\S* server start-dev/.test(cmd)) group = 'temporal';
    if (group) snapshot.set(pid, { group, seconds: cpuSecondsOf(pid, group === 'worker') });
  }
  return snapshot;
}

/** CPU seconds each group used between two snapshots (processes that started in between count from zero). */
export function cpuUsed(before: CpuSnapshot, after: CpuSnapshot): Record<ProcessGroup, number> {
  const used: Record<ProcessGroup, number> = { worker: 0, dynalite: 0, postgres: 0, temporal: 0, bench: 0 };
  for (const [pid, now] of after) used[now.group] += now.seconds - (before.get(pid)?.seconds ?? 0);
  return used;
}

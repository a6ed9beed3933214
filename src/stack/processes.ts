import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sleep } from './probe';

/**
 * Background processes libreport starts for the local stack. Each has a pid file and a log under the
 * data directory, so a later `stack down` (in another CLI process) can find and stop exactly what we started.
 */
export interface ManagedProcessSpec {
  /** Short name used for the pid and log files, e.g. "dynalite". */
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  /** A string that appears in the process's command line: guards against a recycled pid. */
  readonly marker: string;
  /** Extra environment, e.g. a connection string that must not show in `ps` output. */
  readonly env?: Readonly<Record<string, string>>;
}

export interface ProcessFiles {
  readonly pidFile: string;
  readonly logFile: string;
}

export function processFiles(dataDir: string, name: string): ProcessFiles {
  return {
    pidFile: path.join(dataDir, 'run', `${name}.pid`),
    logFile: path.join(dataDir, 'logs', `${name}.log`),
  };
}

/** Starts the process detached from this one (its own process group, output to its log), so it outlives the CLI. */
export function startDetached(dataDir: string, spec: ManagedProcessSpec): { pid: number; logFile: string } {
  const files = processFiles(dataDir, spec.name);
  mkdirSync(path.dirname(files.pidFile), { recursive: true });
  mkdirSync(path.dirname(files.logFile), { recursive: true });
  const log = openSync(files.logFile, 'a');
  try {
    const child = spawn(spec.command, [...spec.args], {
      detached: true,
      stdio: ['ignore', log, log],
      ...(spec.env ? { env: { ...process.env, ...spec.env } } : {}),
    });
    if (child.pid === undefined) throw new Error(`could not start ${spec.command}`);
    child.on('error', () => undefined);
    child.unref();
    writeFileSync(files.pidFile, `${child.pid}\n`);
    return { pid: child.pid, logFile: files.logFile };
  } finally {
    closeSync(log);
  }
}

/** The pid recorded for `name` if that process is still alive and is the one we started; otherwise undefined. */
export function managedPid(dataDir: string, name: string, marker: string): number | undefined {
  const { pidFile } = processFiles(dataDir, name);
  let pid: number;
  try {
    pid = Number(readFileSync(pidFile, 'utf8').trim());
  } catch {
    return undefined;
  }
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  return isAlive(pid) && commandLineHas(pid, marker) ? pid : undefined;
}

export function forgetPid(dataDir: string, name: string): void {
  rmSync(processFiles(dataDir, name).pidFile, { force: true });
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A zombie still answers signal 0 but is already gone for our purposes.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z /.test(stat);
  } catch {
    return true;
  }
}

function commandLineHas(pid: number, marker: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').includes(marker);
  } catch {
    // No /proc (not Linux): trust the pid file.
    return true;
  }
}

/** Stops a process group we started: SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
export async function stopProcess(pid: number, graceMs = 10_000): Promise<void> {
  signalGroup(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(100);
  if (isAlive(pid)) {
    signalGroup(pid, 'SIGKILL');
    while (isAlive(pid)) await sleep(50);
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // Already gone.
    }
  }
}

import { readFileSync } from 'node:fs';
import { ServiceUnavailableError } from '../errors';
import {
  forgetPid,
  isAlive,
  managedPid,
  processFiles,
  startDetached,
  stopProcess,
  type ManagedProcessSpec,
} from './processes';
import { isLoopbackHost, waitUntil } from './probe';
import type { StackLog, StackPartName, StackPartStatus } from './types';

/** A stand-in libreport can run itself as a background process (Temporal dev server, dynalite, the SES stand-in). */
export interface LocalService {
  readonly part: StackPartName;
  /** Name of its pid and log files. */
  readonly processName: string;
  /** Appears in its command line; see `ManagedProcessSpec.marker`. */
  readonly marker: string;
  /** The host clients connect to; we only start services whose host is this machine. */
  readonly host: string;
  readonly endpoint: string;
  readonly startTimeoutMs: number;
  /** Whether it answers clients now. */
  probe(): Promise<boolean>;
  /** How to start it (may build or locate a binary first). */
  command(log: StackLog): Promise<ManagedProcessSpec>;
  /** The status fields beyond running/managed/pid. */
  describe(): Omit<StackPartStatus, 'name' | 'running' | 'managed' | 'pid' | 'logFile'>;
}

/** Reuses the service when it already answers, else starts it detached and waits until it answers. */
export async function ensureService(
  dataDir: string,
  service: LocalService,
  log: StackLog,
): Promise<StackPartStatus> {
  if (await service.probe()) {
    log(`${service.part}: already running at ${service.endpoint}`);
    return statusOf(dataDir, service, true);
  }
  if (!isLoopbackHost(service.host)) {
    throw new ServiceUnavailableError(
      `${service.part} does not answer at ${service.endpoint}, which is not on this machine, so libreport cannot start it`,
    );
  }
  let pid = managedPid(dataDir, service.processName, service.marker);
  if (pid === undefined) {
    const spec = await service.command(log);
    log(`${service.part}: starting ${spec.name} on ${service.endpoint}`);
    pid = startDetached(dataDir, spec).pid;
  } else {
    log(`${service.part}: waiting for ${service.processName} (pid ${pid}) to answer`);
  }
  const startedPid = pid;
  const outcome = await waitUntil(() => service.probe(), {
    timeoutMs: service.startTimeoutMs,
    intervalMs: 200,
    giveUp: () => (isAlive(startedPid) ? undefined : 'it exited'),
  });
  const { logFile } = processFiles(dataDir, service.processName);
  if (!outcome.ok) {
    throw new ServiceUnavailableError(
      `${service.part} did not start on ${service.endpoint}: ${outcome.reason}; last log lines: ${tail(logFile)} (full log: ${logFile})`,
    );
  }
  if (!isAlive(startedPid)) {
    // Another `stack up` won the race for the port; its server is the one answering.
    forgetPid(dataDir, service.processName);
  }
  log(`${service.part}: ready at ${service.endpoint}`);
  return statusOf(dataDir, service, true);
}

/** What runs at the service's endpoint now, and whether it is ours. */
export async function serviceStatus(dataDir: string, service: LocalService): Promise<StackPartStatus> {
  return statusOf(dataDir, service, await service.probe());
}

/** Stops the service if we started it; returns the pid stopped, if any. Never touches a server we did not start. */
export async function stopService(dataDir: string, service: LocalService): Promise<number | undefined> {
  const pid = managedPid(dataDir, service.processName, service.marker);
  if (pid !== undefined) await stopProcess(pid);
  forgetPid(dataDir, service.processName);
  return pid;
}

function statusOf(dataDir: string, service: LocalService, running: boolean): StackPartStatus {
  const pid = managedPid(dataDir, service.processName, service.marker);
  return {
    name: service.part,
    running,
    managed: pid !== undefined,
    ...service.describe(),
    ...(pid !== undefined ? { pid, logFile: processFiles(dataDir, service.processName).logFile } : {}),
  };
}

function tail(logFile: string, lines = 5): string {
  try {
    const text = readFileSync(logFile, 'utf8').trim().split('\n').slice(-lines).join(' | ');
    return text === '' ? '(empty)' : text.slice(-800);
  } catch {
    return '(no log)';
  }
}

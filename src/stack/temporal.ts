import path from 'node:path';
import { Connection } from '@temporalio/client';
import type { Config } from '../config/config';
import { SEARCH_ATTRIBUTE_FLAGS } from '../workflows/searchAttributes';
import type { LocalService } from './localService';
import { canConnect, hostPort, httpAnswers } from './probe';
import { ensureTemporalCli } from './temporalCli';

export interface TemporalEndpoints {
  /** host:port of the frontend gRPC service. */
  readonly address: string;
  readonly namespace: string;
  readonly uiUrl: string;
}

/** The Temporal CLI dev server, persisting to `<dataDir>/temporal.db`. */
export function temporalDevServer(
  config: Config,
  dataDir: string,
  endpoints: TemporalEndpoints,
): LocalService {
  const { host, port } = hostPort(endpoints.address);
  const uiPort = hostPort(endpoints.uiUrl).port;
  return {
    part: 'temporal',
    processName: 'temporal',
    marker: 'start-dev',
    host,
    endpoint: endpoints.address,
    // The dev server migrates its SQLite schema on first start; on 2 cores that takes a while.
    startTimeoutMs: 90_000,
    probe: () => temporalAnswers(endpoints),
    async command(log) {
      const cli = await ensureTemporalCli(config, log);
      return {
        name: 'temporal',
        command: cli,
        args: [
          'server',
          'start-dev',
          '--ip',
          host,
          '--port',
          String(port),
          '--ui-port',
          String(uiPort),
          '--db-filename',
          path.join(dataDir, 'temporal.db'),
          '--namespace',
          endpoints.namespace,
          '--log-level',
          'warn',
          // Registered on every start (idempotent), so runs can set them and the Web UI can filter by them.
          ...SEARCH_ATTRIBUTE_FLAGS,
        ],
        marker: 'start-dev',
      };
    },
    describe: () => ({ endpoint: endpoints.address, uiUrl: endpoints.uiUrl }),
  };
}

/** The frontend accepts connections, knows the namespace, and the web UI answers. */
export async function temporalAnswers(endpoints: TemporalEndpoints): Promise<boolean> {
  const { host, port } = hostPort(endpoints.address);
  if (!(await canConnect(host, port))) return false;
  if (!(await httpAnswers(endpoints.uiUrl, { accept: (status) => status < 500 }))) return false;
  let connection: Connection | undefined;
  try {
    connection = await Connection.connect({ address: endpoints.address, connectTimeout: 2000 });
    await connection.workflowService.describeNamespace({ namespace: endpoints.namespace });
    return true;
  } catch {
    return false;
  } finally {
    await connection?.close();
  }
}

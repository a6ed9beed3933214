import { spawn, type ChildProcess } from 'node:child_process';
import { Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTE_FLAGS } from '../../../src/workflows/searchAttributes';
import { freePort } from './closablePort';
import { waitFor } from './waitFor';

/** A Temporal CLI dev server a test owns, so it can kill it and start it again on the same port and database. */
export interface DevServer {
  /** host:port of the frontend. */
  readonly address: string;
  /** Starts the server (again) and waits until the namespace answers. */
  start(): Promise<void>;
  /** Sends `signal` and waits for the exit. */
  stop(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Everything the server processes printed, for failure messages. */
  output(): string;
}

/** The first start migrates the SQLite schema, which takes a while on 2 cores. */
const START_TIMEOUT_MS = 90_000;

export async function createDevServer(cli: string, dbFile: string): Promise<DevServer> {
  const [port, uiPort] = [await freePort(), await freePort()];
  const address = `127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  let exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }> | undefined;
  let log = '';

  return {
    address,
    async start() {
      if (child && child.exitCode === null && child.signalCode === null) throw new Error('dev server already running');
      const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--ui-port', String(uiPort),
        '--headless', '--db-filename', dbFile, '--namespace', 'default', '--log-level', 'warn', ...SEARCH_ATTRIBUTE_FLAGS];
      const started = spawn(cli, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      child = started;
      started.stdout!.on('data', (chunk: Buffer) => (log += chunk.toString()));
      started.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
      exited = new Promise((resolve) => started.once('exit', (code, signal) => resolve({ code, signal })));
      await waitFor(`the dev server at ${address} to answer`, async () => {
        if (started.exitCode !== null) throw new Error(`dev server exited with ${started.exitCode}:\n${log}`);
        return namespaceAnswers(address);
      }, START_TIMEOUT_MS);
    },
    async stop(signal) {
      if (!child || !exited) throw new Error('dev server was never started');
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
    output: () => log,
  };
}

async function namespaceAnswers(address: string): Promise<boolean> {
  let connection: Connection | undefined;
  try {
    connection = await Connection.connect({ address, connectTimeout: 1000 });
    await connection.workflowService.describeNamespace({ namespace: 'default' });
    return true;
  } catch {
    return false;
  } finally {
    await connection?.close();
  }
}

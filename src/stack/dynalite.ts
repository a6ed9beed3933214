import path from 'node:path';
import type { LocalService } from './localService';
import { hostPort, httpAnswers } from './probe';

/** dynalite, a DynamoDB stand-in backed by LevelDB under `<dataDir>/dynalite`. */
export function dynaliteServer(dataDir: string, endpoint: string, table: string): LocalService {
  const { host, port } = hostPort(endpoint);
  const cli = path.join(path.dirname(require.resolve('dynalite/package.json')), 'cli.js');
  return {
    part: 'dynamodb',
    processName: 'dynalite',
    marker: 'dynalite',
    host,
    endpoint,
    startTimeoutMs: 30_000,
    // Any HTTP answer to a DynamoDB request (dynalite rejects the unsigned call) means the server is up.
    probe: () =>
      httpAnswers(endpoint, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-amz-json-1.0',
          'X-Amz-Target': 'DynamoDB_20120810.ListTables',
        },
        body: '{}',
      }),
    command: async () => ({
      name: 'dynalite',
      command: process.execPath,
      args: [
        cli,
        '--host',
        host,
        '--port',
        String(port),
        '--path',
        path.join(dataDir, 'dynalite'),
        // Tables become ACTIVE at once, so tests and seeding never wait on a fake provisioning delay.
        '--createTableMs',
        '0',
        '--deleteTableMs',
        '0',
        '--updateTableMs',
        '0',
      ],
      marker: 'dynalite',
    }),
    describe: () => ({ endpoint, table }),
  };
}

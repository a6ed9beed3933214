import type { LocalService } from './localService';
import { hostPort, httpAnswers } from './probe';
import { standInCommand } from './standInCommand';

/**
 * The local Redshift Data API endpoint (`src/stack/redshiftData`) as a stand-in of the local stack: statements
 * run on the PostgreSQL database `engineUrl` names, COPY reads staged objects from the S3 stand-in.
 * The connection string travels in the environment, not the command line, so `ps` never shows it.
 */
export function redshiftDataStandIn(
  endpoint: string,
  engineUrl: string,
  s3Endpoint: string,
  region: string,
): LocalService {
  const { host, port } = hostPort(endpoint);
  return {
    part: 'warehouse',
    processName: 'redshift-data',
    marker: 'serveStandIn',
    host,
    endpoint,
    startTimeoutMs: 30_000,
    probe: () => httpAnswers(`${endpoint}/ping`, { accept: (status) => status === 200 }),
    command: async () =>
      standInCommand(
        'redshift-data',
        ['--host', host, '--port', String(port), '--s3-endpoint', s3Endpoint, '--region', region],
        { LIBREPORT_REDSHIFT_ENGINE_URL: engineUrl },
      ),
    describe: () => ({
      endpoint,
      note: 'local Redshift Data API (PostgreSQL behind a Redshift dialect gate)',
    }),
  };
}

import { ensurePostgresServer, ensureTemporalCli, stackUp } from '../../src/stack';
import { TEST_PG_ADMIN_URL } from './databases';
import { testStackConfig } from './stack';

/**
 * Makes sure the stand-ins integration suites use are running before any test file starts:
 * dynalite and the SES stand-in (reused when already up, else started detached under `.data/test`),
 * the machine's PostgreSQL, and the Temporal CLI binary (built once with Go if missing).
 * Suites start their own Temporal dev servers with `createLocalWorkflowEnvironment()`; the binary's path
 * reaches them as TEMPORAL_CLI (Jest workers inherit this process's environment).
 */
export default async function globalSetup(): Promise<void> {
  const config = testStackConfig();
  const log = (line: string) => {
    if (!line.includes('already running')) process.stderr.write(`[test stack] ${line}\n`);
  };
  const [cli] = await Promise.all([
    ensureTemporalCli(config, log),
    ensurePostgresServer(TEST_PG_ADMIN_URL, 'TEST_PG_URL', log),
    stackUp(config, log, { only: ['dynamodb', 'ses'] }),
  ]);
  process.env.TEMPORAL_CLI = cli;
}

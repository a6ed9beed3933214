import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { ensurePostgresServer, ensureTemporalCli, stackUp } from '../../src/stack';
import { TEST_PG_ADMIN_URL } from './databases';
import { REPO_ROOT, testStackConfig } from './stack';
import { ensureChromium } from './chromium';
import { freePort } from './freePort';

/**
 * Starts the stand-ins integration suites share, on ports and under a data folder of this test run's own, so a
 * test run never touches a developer's `libreport stack` (its dynalite tables, its mail) nor another test run:
 * dynalite and the SES stand-in (stopped again by globalTeardown), the machine's PostgreSQL, and the Temporal CLI
 * binary (built once with Go if missing), and headless Chromium for the report tests (Debian's package, installed
 * when missing and allowed). Suites start their own Temporal dev servers with
 * `createLocalWorkflowEnvironment()`. Everything reaches the suites through the environment, which Jest workers
 * inherit from this process: DYNAMODB_ENDPOINT, SES_ENDPOINT, LIBREPORT_TEST_DATA_DIR, TEMPORAL_CLI and
 * LIBREPORT_TEST_CHROMIUM.
 */
export default async function globalSetup(): Promise<void> {
  keepGoingAfterClosedChannels();
  const [dynalitePort, sesPort] = await Promise.all([freePort(), freePort()]);
  const dataDir = path.join(REPO_ROOT, '.data', `test-${process.pid}`);
  mkdirSync(dataDir, { recursive: true });
  process.env.LIBREPORT_TEST_DATA_DIR = dataDir;
  process.env.DYNAMODB_ENDPOINT = `http://127.0.0.1:${dynalitePort}`;
  process.env.SES_ENDPOINT = `http://127.0.0.1:${sesPort}`;
  process.env.TEST_DYNAMODB_ENDPOINT = process.env.DYNAMODB_ENDPOINT;

  const config = testStackConfig();
  const log = (line: string) => {
    if (!line.includes('already running')) process.stderr.write(`[test stack] ${line}\n`);
  };
  process.env.LIBREPORT_TEST_CHROMIUM = ensureChromium(log);
  const [cli] = await Promise.all([
    ensureTemporalCli(config, log),
    ensurePostgresServer(TEST_PG_ADMIN_URL, 'TEST_PG_URL', log),
    stackUp(config, log, { only: ['dynamodb', 'ses'] }),
  ]);
  process.env.TEMPORAL_CLI = cli;
}

/**
 * A test that times out leaves its body running: a Temporal client call in it may still be retrying on a timer
 * when `afterAll` has closed the connection, and that timer then throws "Channel has been shut down" between
 * two test files, where no test can own it and Node would end the whole run. That test has already failed; the
 * leftover is logged and the run goes on. (With --runInBand the suites run in this process; jest-circus puts
 * these listeners back after each file.)
 */
function keepGoingAfterClosedChannels(): void {
  process.on('uncaughtException', (error) => {
    if (!/Channel has been shut down/.test(error?.message ?? '')) throw error;
    process.stderr.write(
      `[test stack] ignored a leftover call on a closed Temporal connection: ${error.message}\n`,
    );
  });
}

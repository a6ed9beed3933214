import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { loadConfig, type Config } from '../../src/config/config';
import { REPORT_SEARCH_ATTRIBUTES } from '../../src/workflows/searchAttributes';

/** The repository root, so test config resolves `.data/` and `.tools/` the same from any working directory. */
export const REPO_ROOT = path.resolve(__dirname, '../..');

/**
 * Data dir of this test run's stand-ins (globalSetup makes one per run and exports it); apart from a
 * developer's `.data/` and from other test runs. Read when called: globalSetup sets it after importing this.
 */
export function testDataDir(): string {
  return process.env.LIBREPORT_TEST_DATA_DIR ?? path.join(REPO_ROOT, '.data', 'test');
}

/** Local-stack config for tests: the process environment (globalSetup's endpoints) plus `overrides`. */
export function testStackConfig(overrides: NodeJS.ProcessEnv = {}): Config {
  return loadConfig(
    { ...process.env, LIBREPORT_ENV: 'local', LIBREPORT_DATA_DIR: testDataDir(), ...overrides },
    REPO_ROOT,
  );
}

/** The Temporal CLI binary globalSetup found or built (it exports the path as TEMPORAL_CLI). */
export function temporalCliForTests(): string {
  const cli = process.env.TEMPORAL_CLI;
  if (!cli)
    throw new Error(
      'TEMPORAL_CLI is not set: run the tests through Jest so test/support/globalSetup.ts runs',
    );
  return cli;
}

/**
 * A private Temporal dev server on a random loopback port, from the binary globalSetup provided.
 * The libreport search attributes are registered, as on the real server. Call `teardown()` on it in `afterAll`.
 */
export function createLocalWorkflowEnvironment(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: temporalCliForTests() },
      ip: '127.0.0.1',
      searchAttributes: [...REPORT_SEARCH_ATTRIBUTES],
    },
  });
}

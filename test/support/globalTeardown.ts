import { rmSync } from 'node:fs';
import { stackDown } from '../../src/stack';
import { testStackConfig } from './stack';

/** Stops the stand-ins globalSetup started for this run and removes their data. */
export default async function globalTeardown(): Promise<void> {
  const dataDir = process.env.LIBREPORT_TEST_DATA_DIR;
  if (!dataDir) return;
  await stackDown(testStackConfig());
  rmSync(dataDir, { recursive: true, force: true });
}

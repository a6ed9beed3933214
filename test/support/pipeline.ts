import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { RawItem } from '../../src/adapters/dynamo/port';
import { ensureRdsSchema } from '../../src/adapters/rds/pgRds';
import type { Config } from '../../src/config/config';
import { createPorts, type Ports } from '../../src/worker/ports';
import { freshDatabase, type TestDatabase } from './databases';
import { testStackConfig } from './stack';

/** A private slice of the local stack for one test file: its own DynamoDB table, warehouse and RDS databases. */
export interface PipelineHarness {
  readonly config: Config;
  readonly ports: Ports;
  readonly warehouseDb: TestDatabase;
  readonly rdsDb: TestDatabase;
  readonly reportDir: string;
  putItems(items: readonly RawItem[]): Promise<void>;
  close(): Promise<void>;
}

export async function createPipelineHarness(
  name: string,
  env: NodeJS.ProcessEnv = {},
  /** Suites of the scan path (and of items the index refuses) make the table without the day index. */
  options: { readonly dayIndex?: boolean } = {},
): Promise<PipelineHarness> {
  const suffix = `${process.pid}_${Math.floor(Math.random() * 1e6)}`;
  const [warehouseDb, rdsDb] = await Promise.all([freshDatabase(`${name}_dw`), freshDatabase(`${name}_rds`)]);
  const reportDir = mkdtempSync(path.join(os.tmpdir(), `libreport-${name}-`));
  const config = testStackConfig({
    DYNAMODB_TABLE: `test_${name}_${suffix}`,
    WAREHOUSE_URL: warehouseDb.url,
    RDS_URL: rdsDb.url,
    TEMPORAL_TASK_QUEUE: `test-${name}-${suffix}`,
    REPORT_DIR: reportDir,
    ...env,
  });
  const ports = createPorts(config);
  await Promise.all([ports.searchTable.ensureTable({ dayIndex: options.dayIndex ?? false }), ensureRdsSchema(ports.rds)]);
  return {
    config,
    ports,
    warehouseDb,
    rdsDb,
    reportDir,
    async putItems(items) {
      for (let i = 0; i < items.length; i += 25) {
        let pending = items.slice(i, i + 25);
        while (pending.length) pending = await ports.searchTable.writeBatch(pending);
      }
    },
    async close() {
      await ports.close();
      await Promise.allSettled([warehouseDb.drop(), rdsDb.drop()]);
      rmSync(reportDir, { recursive: true, force: true });
    },
  };
}

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;

/** The workflow bundle, built once per test file (bundling takes seconds). */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({
    workflowsPath: require.resolve('../../src/workflows'),
    logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} },
  });
  return bundle;
}

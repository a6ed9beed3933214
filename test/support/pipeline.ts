import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { RawItem } from '../../src/adapters/dynamo/port';
import { ensureRdsSchema } from '../../src/adapters/rds/pgRds';
import type { Config } from '../../src/config/config';
import { createPorts, type Ports } from '../../src/worker/ports';
import { freshDatabase, type TestDatabase } from './databases';
import { startRedshiftStandIns, type RedshiftStandIns } from './redshiftStandIns';
import { testStackConfig } from './stack';

/** The warehouse kinds every pipeline suite runs against: PostgreSQL, and Redshift through the local Data API. */
export const WAREHOUSE_KINDS = ['pg', 'redshift-data'] as const;
export type WarehouseKind = (typeof WAREHOUSE_KINDS)[number];

/** A private slice of the local stack for one test file: its own DynamoDB table, warehouse and RDS databases. */
export interface PipelineHarness {
  readonly config: Config;
  readonly ports: Ports;
  readonly warehouseDb: TestDatabase;
  readonly rdsDb: TestDatabase;
  readonly reportDir: string;
  /** The Redshift stand-ins, when the warehouse kind is redshift-data. */
  readonly redshift?: RedshiftStandIns;
  putItems(items: readonly RawItem[]): Promise<void>;
  close(): Promise<void>;
}

/**
 * With `warehouseKind: 'redshift-data'` the warehouse is the local Redshift Data API endpoint (and s3rver for
 * COPY staging) running on the file's own warehouse database, which tests may still read directly to check it.
 */
export async function createPipelineHarness(
  name: string,
  env: NodeJS.ProcessEnv = {},
  options: {
    /** Suites of the scan path (and of items the index refuses) make the table without the day index. */
    readonly dayIndex?: boolean;
    readonly warehouseKind?: WarehouseKind;
  } = {},
): Promise<PipelineHarness> {
  const warehouseKind = options.warehouseKind ?? 'pg';
  const suffix = `${process.pid}_${Math.floor(Math.random() * 1e6)}`;
  const [warehouseDb, rdsDb] = await Promise.all([freshDatabase(`${name}_dw`), freshDatabase(`${name}_rds`)]);
  const redshift =
    warehouseKind === 'redshift-data' ? await startRedshiftStandIns(warehouseDb.url) : undefined;
  const reportDir = mkdtempSync(path.join(os.tmpdir(), `libreport-${name}-`));
  const config = testStackConfig({
    DYNAMODB_TABLE: `test_${name}_${suffix}`,
    WAREHOUSE_URL: warehouseDb.url,
    RDS_URL: rdsDb.url,
    TEMPORAL_TASK_QUEUE: `test-${name}-${suffix}`,
    REPORT_DIR: reportDir,
    ...redshift?.env,
    ...env,
  });
  const ports = createPorts(config);
  await Promise.all([
    ports.searchTable.ensureTable({ dayIndex: options.dayIndex ?? false }),
    ensureRdsSchema(ports.rds),
  ]);
  return {
    config,
    ports,
    warehouseDb,
    rdsDb,
    reportDir,
    redshift,
    async putItems(items) {
      for (let i = 0; i < items.length; i += 25) {
        let pending = items.slice(i, i + 25);
        while (pending.length) pending = await ports.searchTable.writeBatch(pending);
      }
    },
    async close() {
      await ports.close();
      await redshift?.close();
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

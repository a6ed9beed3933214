import { createHash } from 'node:crypto';
import type { Warehouse } from '../adapters/warehouse/port';
import { whileHeartbeating } from './heartbeat';
import {
  createRunRegistry,
  createStagingTables,
  deleteRun,
  dropStagingTables,
  registerRun,
  selectRegisteredRun,
  selectRunsMadeBefore,
  stagingTables,
} from './sql/staging';
import { createWarehouseSchema, ensureWarehouseSchema } from './warehouseSchema';

export interface PrepareRunInput {
  readonly date: string;
  readonly workflowId: string;
  readonly runId: string;
}

/** Staging tables of runs older than this were abandoned (a terminated workflow, a lost worker). */
const ABANDONED_AFTER_MS = 24 * 60 * 60_000;

/** A run's staging lifecycle: the warehouse schema, the run's staging tables, and dropping them again. */
export function createStagingActivities(deps: { warehouse: Warehouse }) {
  const { warehouse } = deps;

  /**
   * Creates the warehouse schema where missing and migrates what older versions made (the one-off partition
   * migration can take long on a big warehouse: a timer heartbeats meanwhile). Runs before `prepareRun`.
   */
  async function migrateWarehouse(): Promise<void> {
    await whileHeartbeating(() => ensureWarehouseSchema(warehouse));
  }

  /** This run's staging tables (and any missing schema, migrating nothing), and drops abandoned ones. */
  async function prepareRun(input: PrepareRunInput): Promise<{ runKey: string }> {
    await createWarehouseSchema(warehouse);
    await warehouse.query(createRunRegistry);
    await dropAbandonedRuns();

    const digest = createHash('sha256')
      .update(`${input.workflowId}/${input.runId}`)
      .digest('hex')
      .slice(0, 12);
    const runKey = `r${input.date.replace(/-/g, '')}_${digest}`;
    const tables = stagingTables(runKey);
    const registered = await warehouse.query(selectRegisteredRun, [runKey]);
    if (registered.length === 0) {
      // A retried prepareRun may find some tables made: drop and remake them so the run starts clean.
      for (const statement of dropStagingTables(tables)) await warehouse.query(statement);
      // Checkpoints staged in S3 must start clean with the tables their pages load into.
      await warehouse.stagedLoads?.removeUnder(`${runKey}/`);
      for (const statement of createStagingTables(tables, warehouse.dialect))
        await warehouse.query(statement);
      await warehouse.query(registerRun, [runKey, input.runId, input.date, new Date().toISOString()]);
    }
    return { runKey };
  }

  async function dropAbandonedRuns(): Promise<void> {
    const cutoff = new Date(Date.now() - ABANDONED_AFTER_MS).toISOString();
    const old = await warehouse.query<{ run_key: string }>(selectRunsMadeBefore, [cutoff]);
    for (const { run_key } of old) await dropStaging({ runKey: run_key });
  }

  /** Drops a run's staging tables and any S3-staged pages left behind (finished or abandoned). Safe to repeat. */
  async function dropStaging(input: { runKey: string }): Promise<void> {
    for (const statement of dropStagingTables(stagingTables(input.runKey))) await warehouse.query(statement);
    await warehouse.stagedLoads?.removeUnder(`${input.runKey}/`);
    await warehouse.query(deleteRun, [input.runKey]);
  }

  return { migrateWarehouse, prepareRun, dropStaging };
}

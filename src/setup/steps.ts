import type { Client } from '@temporalio/client';
import { martSchemaStatements } from '../activities/sql/mart';
import { ensureWarehouseSchema } from '../activities/warehouseSchema';
import { ensureRdsSchema } from '../adapters/rds/pgRds';
import type { Config } from '../config/config';
import { MissingResourceError, PermissionDeniedError } from '../errors';
import { ensureSearchAttributes } from '../temporal/searchAttributes';
import type { Ports } from '../worker/ports';
import { sweepScheduleOptions } from '../schedule/sweepSchedule';
import { syncSchedule, syncScheduleOptions } from './schedule';

/** What one step found or did: `warning` did not stop the deploy (workers cope), `failed` does. */
export interface StepResult {
  readonly status: 'unchanged' | 'changed' | 'warning' | 'skipped' | 'failed';
  readonly detail: string;
}

/** What steps share; the Temporal client and the ports are made on first use by the command. */
export interface SetupContext {
  readonly config: Config;
  temporal(): Promise<Client>;
  ports(): Ports;
  /** Set by the search-attribute step: whether runs may set them (passed into the Schedule). */
  searchAttributes: boolean;
}

/** One idempotent piece of setup. Add a step by adding an object to `SETUP_STEPS`. */
export interface SetupStep {
  readonly name: string;
  run(context: SetupContext): Promise<StepResult>;
}

const searchAttributes: SetupStep = {
  name: 'search attributes',
  async run(ctx) {
    const namespace = ctx.config.temporal.namespace;
    try {
      const added = await ensureSearchAttributes(await ctx.temporal(), namespace);
      ctx.searchAttributes = true;
      return added.length
        ? { status: 'changed', detail: `registered ${added.join(', ')} on namespace "${namespace}"` }
        : { status: 'unchanged', detail: `namespace "${namespace}" has them` };
    } catch (error) {
      // Runs go on without them (the Schedule is told so below): a warning, not a failed deploy.
      if (error instanceof PermissionDeniedError) return { status: 'warning', detail: error.message };
      throw error;
    }
  },
};

const warehouseSchema: SetupStep = {
  name: 'warehouse schema',
  async run(ctx) {
    const warehouse = ctx.ports().warehouse;
    // The same migration a run's first step does; here it happens at deploy time instead of in a day's run.
    await ensureWarehouseSchema(warehouse);
    for (const statement of martSchemaStatements(warehouse.dialect)) await warehouse.query(statement);
    return { status: 'unchanged', detail: `dw, dw_stage and mart are ready (${warehouse.dialect})` };
  },
};

const dynamoTable: SetupStep = {
  name: 'dynamodb table',
  async run(ctx) {
    const table = ctx.ports().searchTable;
    try {
      await table.describe();
      return { status: 'unchanged', detail: `"${table.tableName}" exists` };
    } catch (error) {
      if (!(error instanceof MissingResourceError)) throw error;
    }
    // The production table belongs to the search service: libreport only reads it.
    if (ctx.config.env !== 'local')
      return {
        status: 'failed',
        detail: `"${table.tableName}" does not exist; set DYNAMODB_TABLE to the search service's table`,
      };
    await table.ensureTable();
    return { status: 'changed', detail: `created "${table.tableName}" (partition key query_id)` };
  },
};

const rdsTables: SetupStep = {
  name: 'rds tables',
  async run(ctx) {
    if (ctx.config.env !== 'local')
      return { status: 'skipped', detail: 'the service owns its RDS; "libreport doctor" checks its tables' };
    await ensureRdsSchema(ctx.ports().rds);
    return { status: 'unchanged', detail: 'book_info, user_choice and staff are ready (local)' };
  },
};

const schedule: SetupStep = {
  name: 'schedule',
  async run(ctx) {
    const { id, cron, timeZone } = ctx.config.schedule;
    const change = await syncSchedule(
      await ctx.temporal(),
      ctx.config,
      ctx.searchAttributes ? undefined : { searchAttributes: false },
    );
    const marks = ctx.searchAttributes
      ? ''
      : '; its runs set no search attributes until setup registers them';
    return {
      status: change === 'unchanged' ? 'unchanged' : 'changed',
      detail: `"${id}" ${change} (${cron}, ${timeZone})${marks}`,
    };
  },
};

const sweepSchedule: SetupStep = {
  name: 'sweep schedule',
  async run(ctx) {
    const { id, cron } = ctx.config.sweepSchedule;
    const change = await syncScheduleOptions(await ctx.temporal(), sweepScheduleOptions(ctx.config));
    return {
      status: change === 'unchanged' ? 'unchanged' : 'changed',
      detail: `"${id}" ${change} (${cron}, ${ctx.config.schedule.timeZone}): quarantines the items the day index cannot see`,
    };
  },
};

/**
 * Setup in order: the namespace first (the Schedule needs to know about it), the stores next, the Schedules
 * last (the daily report's, then the weekly sweep's), so a Schedule never fires into storage that is not ready.
 */
export const SETUP_STEPS: readonly SetupStep[] = Object.freeze([
  searchAttributes,
  warehouseSchema,
  dynamoTable,
  rdsTables,
  schedule,
  sweepSchedule,
]);

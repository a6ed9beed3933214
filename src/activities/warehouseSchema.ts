import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Warehouse } from '../adapters/warehouse/port';
import { MissingResourceError } from '../errors';
import { ensureLedgerKey } from './ledgerClaim';
import { DAY_KINDS, DAY_TABLES, dayTablesDdl } from './sql/dayTables';
import {
  dayTableNames,
  migrationLock,
  movePlainRowsStatements,
  partitionPlainTableStatements,
  selectPlainDayTables,
  selectUnpartitionedDays,
} from './sql/partitions';
import { splitStatements } from './sql/statements';
import { withTableLayout } from './sql/tableLayout';

const SHARED_DDL = splitStatements(readFileSync(path.join(__dirname, 'sql', 'warehouse.sql'), 'utf8'));

/** Every statement that creates the warehouse schema for a dialect; each is safe to repeat. */
export function warehouseSchemaStatements(dialect: 'postgres' | 'redshift'): string[] {
  return [...SHARED_DDL, ...dayTablesDdl(dialect)].map((statement) => withTableLayout(statement, dialect));
}

/** The shared DDL as `dialect` runs it (Redshift adds each table's distribution and sort key). */
const sharedDdl = (dialect: 'postgres' | 'redshift') =>
  SHARED_DDL.map((statement) => withTableLayout(statement, dialect));

/**
 * Creates the warehouse schema where it is missing and migrates what older versions made. On PostgreSQL, day
 * tables made before the warehouse partitioned them by day are turned into partitioned tables, their rows
 * moved day by day (long on a big warehouse: run it where a heartbeat keeps the attempt alive), and the
 * delivery ledger gets its unique key.
 */
export async function ensureWarehouseSchema(warehouse: Warehouse): Promise<void> {
  for (const statement of sharedDdl(warehouse.dialect)) await warehouse.query(statement);
  if (warehouse.dialect === 'postgres') await partitionPlainDayTables(warehouse);
  for (const statement of dayTablesDdl(warehouse.dialect)) {
    await warehouse.query(withTableLayout(statement, warehouse.dialect));
  }
  await ensureLedgerKey(warehouse);
}

/**
 * Creates what is missing (quick, safe to repeat) but migrates nothing: a warehouse still needing the
 * partition migration is refused, for `ensureWarehouseSchema` (the `migrateWarehouse` step) to do first.
 */
export async function createWarehouseSchema(warehouse: Warehouse): Promise<void> {
  for (const statement of sharedDdl(warehouse.dialect)) await warehouse.query(statement);
  if (
    warehouse.dialect === 'postgres' &&
    (await warehouse.query(selectPlainDayTables, dayTableNames)).length > 0
  ) {
    throw new MissingResourceError(
      'the warehouse day tables are not partitioned yet; the migrateWarehouse step of a daily run does it',
    );
  }
  for (const statement of dayTablesDdl(warehouse.dialect)) {
    await warehouse.query(withTableLayout(statement, warehouse.dialect));
  }
}

async function partitionPlainDayTables(warehouse: Warehouse): Promise<void> {
  const plain = await warehouse.query(selectPlainDayTables, dayTableNames);
  if (plain.length === 0) return;
  await warehouse.transaction(async (tx) => {
    await tx.query(migrationLock);
    // Another worker may have migrated while this one waited for the lock: look again.
    const stillPlain = new Set(
      (await tx.query<{ name: string }>(selectPlainDayTables, dayTableNames)).map((r) => r.name),
    );
    for (const kind of DAY_KINDS) {
      if (!stillPlain.has(DAY_TABLES[kind].table)) continue;
      for (const statement of partitionPlainTableStatements(kind)) await tx.query(statement);
      const days = (await tx.query<{ day: string }>(selectUnpartitionedDays(kind))).map((r) => r.day);
      for (const statement of movePlainRowsStatements(kind, days)) await tx.query(statement);
    }
  });
}

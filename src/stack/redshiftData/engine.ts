import { Client, type FieldDef, type QueryArrayResult } from 'pg';
import type { ColumnMetadata, Field } from '@aws-sdk/client-redshift-data';
import type { ResultSet } from './statementStore';

/**
 * The PostgreSQL side of the endpoint: connections configured to behave like a Redshift session where the
 * two differ by a setting, and PostgreSQL results turned into the Data API's records and column metadata.
 */

/**
 * Redshift sessions start in UTC with ISO dates. New clusters isolate transactions by snapshot
 * (c_serial_isolation), which PostgreSQL's REPEATABLE READ matches: a transaction sees the data as of its
 * first query, and a concurrent write to the same rows aborts one of them.
 */
const SESSION_SETTINGS =
  "SET TIME ZONE 'UTC'; SET DateStyle = 'ISO, MDY'; SET default_transaction_isolation = 'repeatable read'";

/** Opens one engine connection; every value comes back as PostgreSQL's text, converted below. */
export async function connectEngine(url: string): Promise<Client> {
  const client = new Client({
    connectionString: url,
    types: { getTypeParser: () => (value: string) => value },
  });
  await client.connect();
  // A connection that dies while idle (the server restarts) is noticed at its next use, not as a crash.
  client.on('error', () => undefined);
  await client.query(SESSION_SETTINGS);
  return client;
}

/** The Data API's type name for each PostgreSQL type OID the warehouse uses (pg_type.typname). */
const TYPE_NAMES: Record<number, string> = {
  16: 'bool',
  18: 'char',
  19: 'name',
  20: 'int8',
  21: 'int2',
  23: 'int4',
  25: 'text',
  26: 'oid',
  700: 'float4',
  701: 'float8',
  1042: 'bpchar',
  1043: 'varchar',
  1082: 'date',
  1083: 'time',
  1114: 'timestamp',
  1184: 'timestamptz',
  1186: 'interval',
  1266: 'timetz',
  1700: 'numeric',
};
const LONG = new Set([20, 21, 23, 26]);
const DOUBLE = new Set([700, 701]);
const SIGNED = new Set([20, 21, 23, 700, 701, 1700]);

/** A query's rows as Data API records: integers as longValue, floats as doubleValue, booleans, the rest as strings. */
export function toResultSet(result: QueryArrayResult): ResultSet {
  const fields = result.fields;
  return {
    columns: fields.map(columnMetadata),
    records: result.rows.map((row) =>
      row.map((value, i) => toField(value as string | null, fields[i]!.dataTypeID)),
    ),
  };
}

function toField(value: string | null, oid: number): Field {
  if (value === null) return { isNull: true };
  if (LONG.has(oid)) return { longValue: Number(value) };
  // JSON has no NaN or Infinity: those stay strings, as Redshift's JDBC-to-Data-API mapping would fail them anyway.
  if (DOUBLE.has(oid) && Number.isFinite(Number(value))) return { doubleValue: Number(value) };
  if (oid === 16) return { booleanValue: value === 't' };
  return { stringValue: value };
}

function columnMetadata(field: FieldDef): ColumnMetadata {
  const oid = field.dataTypeID;
  const varcharLength =
    (oid === 1043 || oid === 1042) && field.dataTypeModifier > 4 ? field.dataTypeModifier - 4 : 0;
  const numeric = oid === 1700 && field.dataTypeModifier > 4 ? field.dataTypeModifier - 4 : -1;
  return {
    name: field.name,
    label: field.name,
    typeName: TYPE_NAMES[oid] ?? 'unknown',
    length: varcharLength,
    precision: numeric >= 0 ? numeric >> 16 : varcharLength,
    scale: numeric >= 0 ? numeric & 0xffff : 0,
    nullable: 1,
    isCaseSensitive: oid === 1043 || oid === 1042 || oid === 25,
    isCurrency: false,
    isSigned: SIGNED.has(oid),
    schemaName: '',
    tableName: '',
  };
}

/** Approximate bytes of a result, for ResultSize: the size of its records as the API sends them. */
export function resultSize(result: ResultSet): number {
  return Buffer.byteLength(JSON.stringify(result.records));
}

/**
 * A PostgreSQL error as Redshift's `Error` text. A serialization failure becomes Redshift's ERROR 1023,
 * which callers recognise as "retry the transaction". So does PostgreSQL's race between two concurrent
 * `CREATE … IF NOT EXISTS` of one name (a unique violation in its own catalog, e.g. `pg_type_typname_nsp_index`):
 * Redshift serialises catalog changes, where the later of two such transactions fails as a conflict to retry.
 */
export function engineErrorText(error: unknown): string {
  const e = error as { code?: string; message?: string; detail?: string; constraint?: string };
  const catalogRace = e.code === '23505' && /^pg_/.test(e.constraint ?? '');
  if (e.code === '40001' || e.code === '40P01' || catalogRace) {
    return `ERROR: 1023 DETAIL: Serializable isolation violation on a table in the transaction (local stand-in: ${e.message ?? ''})`;
  }
  return `ERROR: ${e.message ?? String(error)}${e.detail ? `\n  Detail: ${e.detail}` : ''}`;
}

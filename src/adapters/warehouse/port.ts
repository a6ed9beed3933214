import type { CopyValue } from './copyValue';
import type { EncodedRows } from './encodedRows';

/**
 * The warehouse as libreport uses it: run SQL with bound parameters, bulk-load CSV rows, and run a
 * group of statements atomically. `pgWarehouse` and `redshiftDataWarehouse` implement it side by side;
 * SQL handed to it stays in the subset both PostgreSQL and Redshift run.
 */

/** A value bound to a `$n` placeholder. Values are always parameters, never spliced into SQL text. */
export type SqlValue = string | number | boolean | null;

export type { CopyValue } from './copyValue';

export type Row = Record<string, unknown>;

export interface SqlRunner {
  /** Runs one statement with `$1…$n` parameters and returns its rows (none for DDL/DML). */
  query<R extends Row = Row>(sql: string, params?: readonly SqlValue[]): Promise<R[]>;
}

/**
 * Batches of rows already encoded by the warehouse's `encoder()`, streamed into one bulk load. Cheaper than a
 * row-by-row async iterable, which costs promises per row (see `pageByKey` in the load activities).
 */
export interface EncodedPages {
  readonly encodedPages: AsyncIterable<EncodedRows>;
}

/**
 * What `copyIn` takes: rows streamed one by one, rows already encoded by the warehouse's `encoder()`, or a
 * stream of such encoded batches.
 */
export type CopyRows =
  AsyncIterable<readonly CopyValue[]> | Iterable<readonly CopyValue[]> | EncodedRows | EncodedPages;

export function isEncodedPages(rows: CopyRows): rows is EncodedPages {
  return 'encodedPages' in rows;
}

/**
 * Streams rows into `table (columns…)` with a bulk load (COPY), without holding them in memory.
 * Returns the number of rows loaded. All rows land or none do.
 */
export type CopyIn = (table: string, columns: readonly string[], rows: CopyRows) => Promise<number>;

/**
 * Bulk loads staged ahead of their COPY (Redshift): rows go to the object store as soon as they are read,
 * under a name the caller chooses, and one COPY later loads many staged objects at once (`copyStaged`).
 * Names are relative to the warehouse's staging prefix; staging a name again overwrites it, so a retried
 * page replaces its object instead of adding rows.
 */
export interface StagedLoads {
  /** Uploads the rows (gzip CSV) as `name`. */
  put(name: string, rows: EncodedRows): Promise<void>;
  /** Writes a small JSON document as `name` (a segment's checkpoint beside its staged pages). */
  putJson(name: string, value: unknown): Promise<void>;
  /** Reads a JSON document written by `putJson`; undefined when there is none. */
  getJson<T>(name: string): Promise<T | undefined>;
  /** Deletes the named objects (a missing one is not an error). */
  remove(names: readonly string[]): Promise<void>;
  /** Deletes every object whose name starts with `prefix`. */
  removeUnder(prefix: string): Promise<void>;
}

/** Statements and bulk loads inside one transaction. */
export interface Transaction extends SqlRunner {
  copyIn: CopyIn;
  /**
   * Present with `Warehouse.stagedLoads`: loads every named staged object into `table (columns…)` with one
   * COPY, through a manifest written as `manifest` (exactly these objects, whatever else shares their prefix).
   */
  copyStaged?(
    table: string,
    columns: readonly string[],
    manifest: string,
    names: readonly string[],
  ): Promise<void>;
}

export interface Warehouse extends SqlRunner {
  /** `postgres` or `redshift`: for the few statements whose spelling differs. */
  readonly dialect: 'postgres' | 'redshift';
  /** (A property, not a method, so the compiler checks that every adapter accepts both kinds of row source.) */
  copyIn: CopyIn;
  /** A new buffer of rows encoded in this warehouse's bulk-load format, for `copyIn`. */
  encoder(): EncodedRows;
  /** Present when bulk loads go through an object store first (Redshift's S3 staging); absent on PostgreSQL. */
  readonly stagedLoads?: StagedLoads;
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** A schema-qualified table name checked to be a plain identifier (never user text). */
export function qualified(schema: string, table: string): string {
  return `${identifier(schema)}.${identifier(table)}`;
}

/** Rejects anything but a plain SQL identifier, so configured names cannot inject SQL. */
export function identifier(name: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) {
    throw new Error(`"${name}" is not a valid SQL identifier (lower-case letters, digits and _ only)`);
  }
  return name;
}

import { Readable } from 'node:stream';
import { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { S3Client } from '@aws-sdk/client-s3';
import { ConfigError, ServiceUnavailableError } from '../../errors';
import { endpointSettings } from '../localEndpoints';
import type { Config, RedshiftWarehouseConfig } from '../../config/config';
import { EncodedRows, isEncodedRows } from './encodedRows';
import {
  isEncodedPages,
  type CopyRows,
  type Row,
  type SqlValue,
  type Transaction,
  type Warehouse,
} from './port';
import { copySettings, copyStatement, redshiftCsvLine, stagingKey } from './redshiftCopy';
import { statementRunner, type StatementRunner } from './redshiftStatements';
import { countStatement } from './statementCounts';
import { deleteStaged } from './s3Staging';
import { putManifest, s3StagedLoads, uploadGzip } from './redshiftStagedLoads';

/** What `redshiftDataWarehouse` needs; everything after `config` has a production default. */
export interface RedshiftDataWarehouseDeps {
  readonly client: RedshiftDataClient;
  readonly s3: S3Client;
  readonly config: RedshiftWarehouseConfig;
  /** Region of the staging bucket, named in COPY so a cluster elsewhere can still read it. */
  readonly region?: string;
  /** First DescribeStatement wait; it doubles up to `maxPollIntervalMs`. */
  readonly pollIntervalMs?: number;
  readonly maxPollIntervalMs?: number;
  /** A statement running longer than this is cancelled and reported as `ServiceUnavailableError`. */
  readonly statementTimeoutMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Multipart part size for staged CSV (at least S3's 5 MiB minimum). */
  readonly partBytes?: number;
  /** How long an idle transaction session stays open between its statements (it ends with the transaction). */
  readonly sessionKeepAliveSeconds?: number;
  /** Whether `close()` destroys the two clients (true when the factory built them). */
  readonly ownsClients?: boolean;
}

/** Short first polls catch quick statements; the cap keeps long COPYs from costing many calls. */
const FIRST_POLL_MS = 50;
const MAX_POLL_MS = 1000;
/** Longer than any load of one day should take; a stuck statement is cancelled rather than awaited forever. */
const STATEMENT_TIMEOUT_MS = 60 * 60 * 1000;
/** A transaction's statements follow each other closely; ten minutes covers a slow mart rebuild step. */
const SESSION_KEEP_ALIVE_SECONDS = 600;
/** CSV text handed to gzip at a time: large enough to compress well, small enough to stay cheap. */
const CSV_CHUNK_CHARS = 64 * 1024;

/**
 * The warehouse on Amazon Redshift through the Data API: statements are submitted and polled over
 * HTTPS (no connection to hold), transactions run in one Data API session, and bulk loads are staged
 * in S3 as gzip CSV and loaded with COPY.
 */
export function redshiftDataWarehouse(deps: RedshiftDataWarehouseDeps): Warehouse {
  const { client, s3, config } = deps;
  const settings = copySettings(config, deps.region);
  const send: StatementRunner = statementRunner(client, config, {
    pollIntervalMs: deps.pollIntervalMs ?? FIRST_POLL_MS,
    maxPollIntervalMs: deps.maxPollIntervalMs ?? MAX_POLL_MS,
    timeoutMs: deps.statementTimeoutMs ?? STATEMENT_TIMEOUT_MS,
    sleep: deps.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
  });
  // Counted when sent, so a failed statement counts too: it cost a round trip all the same.
  const run: StatementRunner = (sql, params, scope) => {
    countStatement(/^\s*COPY\b/i.test(sql));
    return send(sql, params, scope);
  };
  const keepAlive = deps.sessionKeepAliveSeconds ?? SESSION_KEEP_ALIVE_SECONDS;

  /** Uploads the rows to S3 as gzip CSV, then has `runCopy` load them with COPY. */
  async function stageAndCopy(
    table: string,
    columns: readonly string[],
    rows: CopyRows,
    runCopy: (sql: string) => Promise<unknown>,
  ): Promise<number> {
    const key = stagingKey(settings, table);
    const copy = copyStatement(settings, table, columns, key);
    if (isEncodedRows(rows)) {
      if (rows.length === 0) return 0;
      await stageInS3(key, Readable.from(rows.chunks()));
      await copyThenForget(key, copy, runCopy);
      return rows.length;
    }
    if (isEncodedPages(rows)) {
      const pages = rows.encodedPages[Symbol.asyncIterator]();
      let first = await pages.next();
      while (!first.done && first.value.length === 0) first = await pages.next();
      if (first.done) return 0;
      let count = 0;
      async function* chunks(): AsyncGenerator<Buffer> {
        for (let next = first; !next.done; next = await pages.next()) {
          count += next.value.length;
          yield* next.value.chunks();
        }
      }
      await stageInS3(key, Readable.from(chunks()));
      await copyThenForget(key, copy, runCopy);
      return count;
    }
    const iterator = asyncIteratorOf(rows);
    const first = await iterator.next();
    if (first.done) return 0;

    let count = 0;
    async function* csv(): AsyncGenerator<Buffer> {
      let chunk = '';
      for (let next = first; !next.done; next = await iterator.next()) {
        if (next.value.length !== columns.length) {
          throw new RangeError(
            `row ${count + 1} for ${table} has ${next.value.length} values for ${columns.length} columns`,
          );
        }
        chunk += redshiftCsvLine(next.value);
        count++;
        if (chunk.length >= CSV_CHUNK_CHARS) {
          yield Buffer.from(chunk, 'utf8');
          chunk = '';
        }
      }
      if (chunk) yield Buffer.from(chunk, 'utf8');
    }
    await stageInS3(key, Readable.from(csv()));
    await copyThenForget(key, copy, runCopy);
    return count;
  }

  const stageInS3 = (key: string, csv: Readable) => uploadGzip(s3, settings.bucket, key, csv, deps.partBytes);
  const staged = s3StagedLoads(s3, settings, deps.partBytes);

  async function copyThenForget(key: string, copy: string, runCopy: (sql: string) => Promise<unknown>) {
    try {
      await runCopy(copy);
    } finally {
      // The rows are in the table (or the COPY failed as a whole); a leftover object only costs
      // storage, while failing here would make a retry load the same rows twice.
      await deleteStaged(s3, settings.bucket, key).catch(() => undefined);
    }
  }

  return {
    dialect: 'redshift',

    async query<R extends Row = Row>(sql: string, params?: readonly SqlValue[]): Promise<R[]> {
      return (await run(sql, params, {})).rows as R[];
    },

    encoder: () => new EncodedRows(redshiftCsvLine),

    stagedLoads: staged,

    copyIn: (table, columns, rows) => stageAndCopy(table, columns, rows, (sql) => run(sql, [], {})),

    async transaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
      const begun = await run('BEGIN', [], { openSessionSeconds: keepAlive });
      const sessionId = begun.sessionId;
      if (!sessionId) throw new ServiceUnavailableError('the Redshift Data API opened no session for BEGIN');
      // A session runs one statement at a time, so statements from `work` are queued.
      let queue: Promise<unknown> = Promise.resolve();
      const inSession = (sql: string, params?: readonly SqlValue[]) => {
        const next = queue.then(() => run(sql, params, { sessionId }));
        queue = next.catch(() => undefined);
        return next;
      };
      const tx: Transaction = {
        async query<R extends Row = Row>(sql: string, params?: readonly SqlValue[]): Promise<R[]> {
          return (await inSession(sql, params)).rows as R[];
        },
        // The rows go to S3 outside the session; only the COPY joins the transaction's queue.
        copyIn: (table, columns, rows) => stageAndCopy(table, columns, rows, (sql) => inSession(sql)),
        // The manifest goes to S3 outside the session, like copyIn's rows; the objects stay for the caller to
        // remove once the transaction has committed.
        async copyStaged(table, columns, manifest, names) {
          if (names.length === 0) return;
          const key = await putManifest(s3, settings, manifest, names);
          await inSession(copyStatement(settings, table, columns, key, { manifest: true }));
        },
      };
      // COMMIT and ROLLBACK end the session (keep-alive 0): a session per transaction left to idle out would
      // pile up past Redshift's 500 sessions within one day's page commits.
      try {
        const result = await work(tx);
        await queue;
        await run('COMMIT', [], { sessionId, endSession: true });
        return result;
      } catch (error) {
        await queue;
        await run('ROLLBACK', [], { sessionId, endSession: true }).catch(() => undefined);
        throw error;
      }
    },

    async close() {
      if (deps.ownsClients) {
        client.destroy();
        s3.destroy();
      }
    },
  };
}

/** Builds the Redshift warehouse from config, with clients on the SDK's default credential chain. */
export function createRedshiftDataWarehouse(config: Config): Warehouse {
  const warehouse = config.warehouse;
  if (warehouse.kind !== 'redshift-data') {
    throw new ConfigError(`WAREHOUSE_KIND is "${warehouse.kind}", not "redshift-data"`);
  }
  return redshiftDataWarehouse({
    client: new RedshiftDataClient({
      region: config.aws.region,
      maxAttempts: 4,
      ...endpointSettings(warehouse.endpoint),
    }),
    s3: new S3Client({
      region: config.aws.region,
      maxAttempts: 4,
      ...endpointSettings(config.s3.endpoint, { pathStyle: true }),
    }),
    config: warehouse,
    region: config.aws.region,
    ownsClients: true,
  });
}

/** Scan pages hand over arrays, RDS extraction async generators: both are streamed the same way. */
function asyncIteratorOf<T>(rows: AsyncIterable<T> | Iterable<T>): AsyncIterator<T> {
  if (Symbol.asyncIterator in rows) return rows[Symbol.asyncIterator]();
  const sync = rows[Symbol.iterator]();
  return { next: async () => sync.next() };
}

import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { Pool, types, type PoolClient, type PoolConfig } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { classifyPgError } from '../pgErrors';
import { csvLine } from './csv';
import { EncodedRows, isEncodedRows } from './encodedRows';
import { countStatement } from './statementCounts';
import {
  isEncodedPages,
  type CopyRows,
  type Row,
  type SqlRunner,
  type SqlValue,
  type Transaction,
  type Warehouse,
} from './port';

/** Bytes of CSV buffered before one write to the COPY stream; large enough to amortise syscalls. */
const COPY_CHUNK_BYTES = 256 * 1024;

/** DATE columns stay 'YYYY-MM-DD' text: a calendar day has no time zone to be shifted into. */
const DATE_OID = 1082;
const pgTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === DATE_OID
      ? (value: string) => value
      : types.getTypeParser(oid, format as 'text')) as typeof types.getTypeParser,
};

export function createPgPool(url: string, extra: PoolConfig = {}): Pool {
  const pool = new Pool({
    connectionString: url,
    max: 8,
    idleTimeoutMillis: 10_000,
    types: pgTypes,
    ...extra,
  });
  // A client losing its server (PostgreSQL restarted, a connection cut) must not crash the worker: the pool's
  // listener covers idle clients, this one checked-out clients. The query in flight still fails and is retried.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

function runner(client: Pick<PoolClient, 'query'>, where: string): SqlRunner {
  return {
    async query<R extends Row = Row>(sql: string, params: readonly SqlValue[] = []): Promise<R[]> {
      countStatement();
      try {
        const result = await client.query(sql, params.length ? (params as SqlValue[]) : undefined);
        return result.rows as R[];
      } catch (error) {
        throw classifyPgError(error, where);
      }
    },
  };
}

/** The PostgreSQL warehouse: bulk loads through `COPY … FROM STDIN` in CSV. */
export function pgWarehouse(pool: Pool, label = 'warehouse'): Warehouse {
  const where = `the ${label} database`;
  return {
    dialect: 'postgres',
    query: (sql, params) => runner(pool, where).query(sql, params),

    encoder: () => new EncodedRows(csvLine),

    async copyIn(table, columns, rows): Promise<number> {
      const client = await connect(pool, where);
      try {
        const count = await copyRows(client, table, columns, rows);
        client.release();
        return count;
      } catch (error) {
        // A client whose COPY failed is not trusted back into the pool: it is closed, and the pool makes another.
        client.release(asError(error));
        throw classifyPgError(error, where);
      }
    },

    async transaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
      const client = await connect(pool, where);
      try {
        countStatement();
        await client.query('BEGIN');
        const result = await work({
          ...runner(client, where),
          copyIn: (table, columns, rows) => copyRows(client, table, columns, rows),
        });
        countStatement();
        await client.query('COMMIT');
        client.release();
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        // Closed rather than pooled: whatever state the failure left the connection in dies with it.
        client.release(asError(error));
        throw classifyPgError(error, where);
      }
    },

    close: () => pool.end(),
  };
}

/**
 * `COPY … FROM STDIN` in CSV on `client`, in whatever transaction it is in. When the rows cannot be written
 * (the row source throws, the server refuses them) the COPY is cancelled and its end awaited before the
 * error is rethrown: a COPY left open would make every later query on the client wait forever.
 */
async function copyRows(
  client: PoolClient,
  table: string,
  columns: readonly string[],
  rows: CopyRows,
): Promise<number> {
  countStatement(true);
  const stream = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN WITH (FORMAT csv)`));
  // A listener for the stream's whole life, so no error it emits (the server's, or our destroy's) goes unhandled.
  let serverFailed = false;
  const failed = new Promise<never>((_, reject) =>
    stream.on('error', (error) => {
      serverFailed ||= !stream.destroyed;
      reject(error);
    }),
  );
  failed.catch(() => undefined);
  try {
    return await writeRows(stream, rows, failed);
  } catch (error) {
    // The server ending the COPY with an error leaves the client idle; anything else (the row source threw)
    // needs a CopyFail, which destroy() sends; the stream closes once the server has answered it.
    if (!serverFailed && !stream.destroyed) {
      stream.destroy(asError(error));
      await finished(stream).catch(() => undefined);
    }
    throw error;
  }
}

async function writeRows(
  stream: ReturnType<typeof copyFrom>,
  rows: CopyRows,
  failed: Promise<never>,
): Promise<number> {
  let count = 0;
  const writeEncoded = async (encoded: EncodedRows) => {
    for (const buffer of encoded.chunks()) {
      if (!stream.write(buffer)) await Promise.race([once(stream, 'drain'), failed]);
    }
    count += encoded.length;
  };
  if (isEncodedRows(rows) || isEncodedPages(rows)) {
    if (isEncodedRows(rows)) await writeEncoded(rows);
    else for await (const page of rows.encodedPages) await writeEncoded(page);
    stream.end();
    await Promise.race([once(stream, 'finish'), failed]);
    return count;
  }
  let chunk = '';
  const flush = async () => {
    const full = !stream.write(chunk);
    chunk = '';
    if (full) await Promise.race([once(stream, 'drain'), failed]);
  };
  // `for await` over an array costs a promise per row, and under the activity context's async hooks
  // that is most of the worker's CPU at 10M rows a day: arrays are walked synchronously.
  if (isSyncIterable(rows)) {
    for (const row of rows) {
      chunk += csvLine(row);
      count++;
      if (chunk.length >= COPY_CHUNK_BYTES) await flush();
    }
  } else {
    for await (const row of rows) {
      chunk += csvLine(row);
      count++;
      if (chunk.length >= COPY_CHUNK_BYTES) await flush();
    }
  }
  stream.end(chunk);
  await Promise.race([once(stream, 'finish'), failed]);
  return count;
}

function isSyncIterable<T>(rows: AsyncIterable<T> | Iterable<T>): rows is Iterable<T> {
  return !(Symbol.asyncIterator in rows);
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

async function connect(pool: Pool, where: string): Promise<PoolClient> {
  try {
    return await pool.connect();
  } catch (error) {
    throw classifyPgError(error, where);
  }
}

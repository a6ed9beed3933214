import { once } from 'node:events';
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
        return await copyRows(client, table, columns, rows);
      } catch (error) {
        throw classifyPgError(error, where);
      } finally {
        client.release();
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
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw classifyPgError(error, where);
      } finally {
        client.release();
      }
    },

    close: () => pool.end(),
  };
}

/** `COPY … FROM STDIN` in CSV on `client`, in whatever transaction it is in. */
async function copyRows(
  client: PoolClient,
  table: string,
  columns: readonly string[],
  rows: CopyRows,
): Promise<number> {
  let count = 0;
  countStatement(true);
  const stream = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN WITH (FORMAT csv)`));
  const failed = new Promise<never>((_, reject) => stream.once('error', reject));
  failed.catch(() => undefined);
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

async function connect(pool: Pool, where: string): Promise<PoolClient> {
  try {
    return await pool.connect();
  } catch (error) {
    throw classifyPgError(error, where);
  }
}

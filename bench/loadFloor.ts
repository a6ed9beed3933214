import { once } from 'node:events';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  writeFileSync,
  type WriteStream,
} from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Pool } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { ExplodedBatch } from '../src/activities/explode';
import { dateLiteral } from '../src/activities/sql/dayTables';
import { SEGMENT_KINDS, STAGE_COLUMNS } from '../src/activities/sql/staging';
import { createDynamoClient, dynamoSearchTable } from '../src/adapters/dynamo/dynamoSearchTable';
import type { RawItem } from '../src/adapters/dynamo/port';
import { csvLine } from '../src/adapters/warehouse/csv';
import type { Config } from '../src/config/config';

type Kind = (typeof SEGMENT_KINDS)[number];

/** The warehouse table each kind of exploded row lands in (the floor copies into fresh tables shaped like it). */
const TARGET: Record<Kind, string> = {
  queries: 'search_query',
  keywords: 'search_keyword',
  libraries: 'search_library',
  isbns: 'search_isbn13',
  quarantine: 'quarantine',
};

const columnsOf = (kind: Kind) => STAGE_COLUMNS[kind];

/** 2: the day rows leave `query_date` to their tables' default. */
const ROWS_FORMAT = 2;

/** The day's exploded rows as CSV files, one per target table. */
export interface PreparedRows {
  /** Bumped whenever the rows' shape changes, so files from an older build are written again. */
  readonly format: number;
  readonly dir: string;
  readonly items: number;
  readonly rows: Record<Kind, number>;
  readonly totalRows: number;
}

/** The bare COPY: how fast this PostgreSQL takes the day's exploded rows. */
export interface LoadFloor {
  readonly rows: number;
  readonly bytes: number;
  readonly ms: number;
  readonly rowsPerSecond: number;
}

/**
 * Writes the exact rows libreport loads (the real explode code and CSV encoder over a scan of the day) to
 * files once per size; later runs reuse them when the item count matches.
 */
export async function prepareRows(
  config: Config,
  date: string,
  segments: number,
  dir: string,
  expectedItems: number,
): Promise<PreparedRows> {
  const manifestFile = path.join(dir, 'manifest.json');
  if (existsSync(manifestFile)) {
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as PreparedRows;
    if (manifest.items === expectedItems && manifest.format === ROWS_FORMAT) return manifest;
  }
  mkdirSync(dir, { recursive: true });
  const settings = {
    endpoint: config.dynamo.endpoint,
    region: config.aws.region,
    table: config.dynamo.table,
  };
  const client = createDynamoClient(settings);
  const table = dynamoSearchTable(client, settings);
  const files = Object.fromEntries(
    SEGMENT_KINDS.map((kind) => [kind, createWriteStream(path.join(dir, `${kind}.csv`))]),
  ) as Record<Kind, WriteStream>;
  const rows = Object.fromEntries(SEGMENT_KINDS.map((kind) => [kind, 0])) as Record<Kind, number>;
  let items = 0;
  try {
    // Segments one after another: the files are written in one order, and preparation is not timed.
    for (let segment = 0; segment < segments; segment++) {
      let startKey: RawItem | undefined;
      do {
        const result = await table.scanPage({ segment, totalSegments: segments, queryDate: date, startKey });
        const batch = new ExplodedBatch();
        for (const item of result.items) batch.add(item, date);
        items += result.items.length;
        for (const kind of SEGMENT_KINDS) {
          let text = '';
          for (const row of batch[kind]) text += csvLine(row);
          rows[kind] += batch[kind].length;
          if (text && !files[kind].write(text)) await once(files[kind], 'drain');
        }
        startKey = result.lastEvaluatedKey;
      } while (startKey);
    }
  } finally {
    client.destroy();
    await Promise.all(SEGMENT_KINDS.map((kind) => new Promise((resolve) => files[kind].end(resolve))));
  }
  const prepared: PreparedRows = {
    format: ROWS_FORMAT,
    dir,
    items,
    rows,
    totalRows: SEGMENT_KINDS.reduce((n, kind) => n + rows[kind], 0),
  };
  writeFileSync(manifestFile, JSON.stringify(prepared, null, 2));
  return prepared;
}

/**
 * Copies the prepared files into fresh tables shaped like the warehouse's (one COPY per table, all at
 * once, as libreport's segments do), and times only the copies.
 */
export async function measureLoadFloor(pool: Pool, prepared: PreparedRows, date: string): Promise<LoadFloor> {
  await pool.query('CREATE SCHEMA IF NOT EXISTS bench_floor');
  for (const kind of SEGMENT_KINDS) {
    await pool.query(`DROP TABLE IF EXISTS bench_floor.${TARGET[kind]}`);
    await pool.query(`CREATE TABLE bench_floor.${TARGET[kind]} (LIKE dw.${TARGET[kind]})`);
    // As in libreport's staging tables, the day rows carry no date: the column defaults to the day.
    if (kind !== 'quarantine') {
      await pool.query(
        `ALTER TABLE bench_floor.${TARGET[kind]} ALTER COLUMN query_date SET DEFAULT ${dateLiteral(date)}`,
      );
    }
  }
  let bytes = 0;
  const started = performance.now();
  await Promise.all(
    SEGMENT_KINDS.map(async (kind) => {
      const client = await pool.connect();
      try {
        const file = path.join(prepared.dir, `${kind}.csv`);
        const source = createReadStream(file, { highWaterMark: 256 * 1024 });
        source.on('data', (chunk) => (bytes += chunk.length));
        const sql = `COPY bench_floor.${TARGET[kind]} (${columnsOf(kind).join(', ')}) FROM STDIN WITH (FORMAT csv)`;
        await pipeline(source, client.query(copyFrom(sql)));
      } finally {
        client.release();
      }
    }),
  );
  const ms = performance.now() - started;
  for (const kind of SEGMENT_KINDS) await pool.query(`DROP TABLE bench_floor.${TARGET[kind]}`);
  return { rows: prepared.totalRows, bytes, ms, rowsPerSecond: (prepared.totalRows * 1000) / ms };
}

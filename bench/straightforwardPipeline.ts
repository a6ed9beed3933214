import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, paginateScan } from '@aws-sdk/lib-dynamodb';
import Papa from 'papaparse';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/**
 * The alternative libreport is measured against: the extract and load a user would write in an afternoon
 * with the same packages, run by `npm run bench` as its own child process (`straightforwardRun.ts`) on the
 * same seeded day, the same dynalite and the same PostgreSQL. Written the plain way on purpose: the
 * document client's `paginateScan` over N segments at once, every row exploded into arrays held in
 * memory, `Papa.unparse`, `pg-copy-streams`, and one transaction that replaces the day. No checkpoints, no
 * quarantine, no reconciliation, no Temporal. Its SQL is inline because that is how such a script reads;
 * it writes into its own schema (`simple`), never into libreport's tables.
 *
 * Run: `node --import tsx bench/straightforwardPipeline.ts '<json StraightforwardInput>'`; prints one
 * JSON `StraightforwardResult` line on stdout.
 */

export interface StraightforwardInput {
  readonly dynamoEndpoint: string;
  readonly region: string;
  readonly table: string;
  readonly date: string;
  readonly segments: number;
  readonly warehouseUrl: string;
  readonly rdsUrl: string;
  readonly timeZone: string;
}

export interface StraightforwardResult {
  readonly items: number;
  readonly rows: Record<string, number>;
  /** From the first Scan request to COMMIT (Node's start-up and imports excluded, as the worker's are). */
  readonly wallMs: number;
  readonly scanMs: number;
  /** This process's own peak RSS (getrusage's ru_maxrss) and CPU time. */
  readonly maxRssBytes: number;
  readonly ownCpuSeconds: number;
}

/** Rows per `Papa.unparse` call: one string for 10M rows would pass V8's 512 MB string limit at 1M items. */
const CSV_CHUNK_ROWS = 100_000;

type Row = unknown[];

async function main(input: StraightforwardInput): Promise<StraightforwardResult> {
  const started = performance.now();
  const dynamo = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: input.dynamoEndpoint,
      region: input.region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
  const queries: Row[] = [];
  const keywords: Row[] = [];
  const libraries: Row[] = [];
  const isbns: Row[] = [];
  let items = 0;
  await Promise.all(
    Array.from({ length: input.segments }, async (_, segment) => {
      const pages = paginateScan(
        { client: dynamo },
        {
          TableName: input.table,
          Segment: segment,
          TotalSegments: input.segments,
          FilterExpression: 'query_date = :d',
          ExpressionAttributeValues: { ':d': input.date },
        },
      );
      for await (const page of pages) {
        for (const item of page.Items ?? []) {
          items++;
          const id = item.query_id as string;
          const kw = (item.user_search ?? []) as string[];
          const libs = (item.selected_lib ?? []) as string[];
          const found = [...((item.isbn13_list ?? []) as Iterable<string>)];
          queries.push([
            id,
            input.date,
            item.searched_at ?? null,
            kw.length,
            libs.length,
            found.length,
            found.length > 0,
          ]);
          kw.forEach((k, i) => keywords.push([id, input.date, i, k]));
          libs.forEach((l, i) => libraries.push([id, input.date, i, l]));
          found.forEach((b, i) => isbns.push([id, input.date, i, b]));
        }
      }
    }),
  );
  const scanMs = performance.now() - started;
  dynamo.destroy();

  const rds = new pg.Client({ connectionString: input.rdsUrl });
  await rds.connect();
  const choices = await rds.query({
    text: `SELECT id, user_id, query_id, isbn13, chosen_at, $1::date AS choice_date FROM user_choice
           WHERE (chosen_at AT TIME ZONE $2)::date = $1`,
    values: [input.date, input.timeZone],
    rowMode: 'array',
  });
  const books = await rds.query({
    text: `SELECT isbn13, bookname, authors, publisher, class_no, reg_date, book_image_url, updated_at FROM book_info`,
    rowMode: 'array',
  });
  await rds.end();

  const dw = new pg.Client({ connectionString: input.warehouseUrl });
  await dw.connect();
  const tables: [string, Row[]][] = [
    ['search_query', queries],
    ['search_keyword', keywords],
    ['search_library', libraries],
    ['search_isbn13', isbns],
    ['user_choice', choices.rows as Row[]],
    ['book_info', books.rows as Row[]],
  ];
  try {
    await dw.query('BEGIN');
    for (const [table] of tables.slice(0, 4))
      await dw.query(`DELETE FROM simple.${table} WHERE query_date = $1`, [input.date]);
    await dw.query('DELETE FROM simple.user_choice WHERE choice_date = $1', [input.date]);
    await dw.query('TRUNCATE simple.book_info');
    for (const [table, rows] of tables) {
      await pipeline(
        Readable.from(csvChunks(rows)),
        dw.query(copyFrom(`COPY simple.${table} FROM STDIN WITH (FORMAT csv)`)),
      );
    }
    await dw.query('COMMIT');
  } catch (error) {
    await dw.query('ROLLBACK');
    throw error;
  } finally {
    await dw.end();
  }
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage();
  return {
    items,
    rows: Object.fromEntries(tables.map(([table, rows]) => [table, rows.length])),
    wallMs,
    scanMs,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    ownCpuSeconds: (cpu.user + cpu.system) / 1e6,
  };
}

function* csvChunks(rows: Row[]): Generator<string> {
  for (let i = 0; i < rows.length; i += CSV_CHUNK_ROWS) {
    yield `${Papa.unparse(rows.slice(i, i + CSV_CHUNK_ROWS), { newline: '\n' })}\n`;
  }
}

/** The tables the pipeline writes, made once before it is timed (a user's script would carry the DDL too). */
export const STRAIGHTFORWARD_DDL = [
  'CREATE SCHEMA IF NOT EXISTS simple',
  ...['search_query', 'search_keyword', 'search_library', 'search_isbn13', 'user_choice', 'book_info'].map(
    (table) => `CREATE TABLE IF NOT EXISTS simple.${table} (LIKE dw.${table})`,
  ),
];

if (require.main === module) {
  main(JSON.parse(process.argv[2] ?? '{}') as StraightforwardInput).then(
    (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
    (error: unknown) => {
      process.stderr.write(
        `straightforward pipeline: ${error instanceof Error ? error.stack : String(error)}\n`,
      );
      process.exitCode = 1;
    },
  );
}

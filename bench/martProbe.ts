import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import {
  bindNamed,
  MART_SCHEMA_DDL,
  MART_TABLES,
  MART_TOP_ROWS,
  type MartValues,
  refreshValues,
  refreshLockStatement,
  refreshStatements,
  viaTempTable,
} from '../src/activities/sql/mart';
import { DAY_KINDS, DAY_TABLES, dateLiteral, dayPartition } from '../src/activities/sql/dayTables';
import { splitStatements } from '../src/activities/sql/statements';
import { warehouseSchemaStatements } from '../src/activities/warehouseSchema';
import { addDays } from '../src/domain/reportDate';

/**
 * Times the mart refresh statement by statement on a synthetic big day, without the rest of the pipeline.
 *
 *   tsx bench/martProbe.ts seed     # (re)creates the probe database and fills one day (~1M queries)
 *   tsx bench/martProbe.ts time     # runs refreshMart's statements in one transaction, timing each
 *   tsx bench/martProbe.ts explain  # the same under EXPLAIN (ANALYZE, BUFFERS), plans to stdout
 *   tsx bench/martProbe.ts drop     # drops the probe database
 *
 * MART_PROBE_SQL_DIR=dir times another copy of the mart's .sql files (say, the previous version) instead,
 * as written or (MART_PROBE_TEMP=1) through viaTempTable as on PostgreSQL;
 * MART_PROBE_SETTINGS='enable_nestloop=off;work_mem=64MB' sets those with SET LOCAL inside the transaction
 * (max_parallel_workers_per_gather=0 makes the backend's CPU column the statement's whole work).
 * MART_PROBE_QUERIES sizes the day, MART_PROBE_PLAIN=1 seeds plain day tables, MART_PROBE_DAY picks the
 * day to seed and refresh.
 *
 * The day is generated in SQL (generate_series is fine here: this is a probe, not warehouse SQL) with the
 * shapes of the seeded bench day: UUID query ids; ~3 keywords per search from a heavy-tailed set of 50k
 * strings, plus 10k typos only failed searches use; ~2 of 300 libraries; ~5 of 200k ISBNs per successful
 * search (10 % fail); 1 % without searched_at; ~50k choices.
 */

const ADMIN_URL = process.env.MART_PROBE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DATABASE = 'libreport_mart_probe';
const DAY = process.env.MART_PROBE_DAY ?? '2024-05-16';
const QUERIES = Number(process.env.MART_PROBE_QUERIES ?? 1_000_000);

function probeUrl(): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${DATABASE}`;
  return url.toString();
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const SEED_SQL = (queries: number) => [
  // One backend, so setseed makes the day repeatable.
  `SET max_parallel_workers_per_gather = 0`,
  `SELECT setseed(0.42)`,
  // Heavy-tailed vocabularies: index = floor(n ^ random()) - 1 is log-uniform (Zipf-like with s = 1).
  `CREATE TEMP TABLE vocab AS
     SELECT i AS idx,
            (SELECT string_agg(chr(44032 + CAST(CAST('x' || substr(md5(i || '-' || j), 1, 6) AS bit(24)) AS int) % 11172), '')
               FROM generate_series(1, 2 + i % 7) j) || CASE WHEN i % 5 = 0 THEN ' ' || i ELSE '' END AS keyword
     FROM generate_series(0, 59999) i`,
  `CREATE TEMP TABLE libs AS
     SELECT i AS idx, chr(44032 + (i * 31) % 11172) || chr(44032 + (i * 97) % 11172) || '도서관 ' || i AS library
     FROM generate_series(0, 299) i`,
  `INSERT INTO dw.search_query (query_id, query_date, searched_at, keyword_count, library_count, result_count, succeeded)
     SELECT CAST(uuid_in(CAST(md5('q' || i) AS cstring)) AS text), DATE '${DAY}',
            CASE WHEN random() < 0.01 THEN NULL
                 ELSE TIMESTAMPTZ '${DAY} 00:00:00+09' + random() * INTERVAL '24 hours' END,
            1 + floor(random() * 5)::int, 1 + floor(random() * 3)::int,
            0, random() >= 0.1
     FROM generate_series(1, ${queries}) i`,
  `UPDATE dw.search_query SET result_count = 1 + floor(random() * 9)::int WHERE succeeded`,
  // A failed search's keyword is a typo (a word no successful search uses) three times in ten.
  `INSERT INTO dw.search_keyword (query_id, query_date, position, keyword)
     SELECT d.query_id, d.query_date, d.p, v.keyword
     FROM (
       SELECT q.query_id, q.query_date, p,
              CASE WHEN NOT q.succeeded AND random() < 0.3 THEN 50000 + floor(random() * 10000)::int
                   ELSE floor(power(50000, random()))::int - 1 END AS idx
       FROM dw.search_query q CROSS JOIN LATERAL generate_series(0, q.keyword_count - 1) p
     ) d
     JOIN vocab v ON v.idx = d.idx`,
  `INSERT INTO dw.search_library (query_id, query_date, position, library)
     SELECT d.query_id, d.query_date, d.p, l.library
     FROM (
       SELECT q.query_id, q.query_date, p, floor(power(300, random()))::int - 1 AS idx
       FROM dw.search_query q CROSS JOIN LATERAL generate_series(0, q.library_count - 1) p
     ) d
     JOIN libs l ON l.idx = d.idx`,
  `INSERT INTO dw.search_isbn13 (query_id, query_date, position, isbn13)
     SELECT q.query_id, q.query_date, p, '979' || lpad(CAST(floor(power(200000, random()))::int - 1 AS text), 10, '0')
     FROM dw.search_query q
     CROSS JOIN LATERAL generate_series(0, q.result_count - 1) p`,
  `INSERT INTO dw.user_choice (id, user_id, query_id, isbn13, chosen_at, choice_date)
     SELECT row_number() OVER (), 'user-' || floor(random() * 20000)::int, q.query_id,
            '9790000000001', TIMESTAMPTZ '${DAY} 12:00:00+09', DATE '${DAY}'
     FROM dw.search_query q TABLESAMPLE BERNOULLI (5.6) REPEATABLE (7)
     WHERE q.succeeded`,
  `INSERT INTO dw.book_info (isbn13, bookname, authors, publisher, updated_at)
     SELECT '979' || lpad(CAST(i * 10 AS text), 10, '0'), '책 ' || i, '저자', '출판사', now()
     FROM generate_series(0, 19999) i`,
];

/**
 * The warehouse as the pipeline creates it: on PostgreSQL (the default) day tables partitioned by day,
 * with the probe day in its own partition as a load leaves it; MART_PROBE_PLAIN=1 gives the plain
 * tables Redshift keeps.
 */
function warehouseDdl(): string[] {
  if (process.env.MART_PROBE_PLAIN === '1') return warehouseSchemaStatements('redshift');
  return [
    ...warehouseSchemaStatements('postgres'),
    ...DAY_KINDS.map(
      (kind) =>
        `CREATE TABLE ${dayPartition(kind, DAY)} PARTITION OF dw.${DAY_TABLES[kind].table} FOR VALUES IN (${dateLiteral(DAY)})`,
    ),
  ];
}

async function seed(): Promise<void> {
  await withClient(ADMIN_URL, async (admin) => {
    await admin.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${DATABASE}`);
  });
  await withClient(probeUrl(), async (client) => {
    for (const statement of warehouseDdl()) await client.query(statement);
    for (const statement of SEED_SQL(QUERIES)) {
      const started = Date.now();
      await client.query(statement);
      console.log(
        `${((Date.now() - started) / 1000).toFixed(1)} s  ${statement.split('\n')[0]!.slice(0, 90)}`,
      );
    }
    await client.query('VACUUM ANALYZE');
    const { rows } = await client.query(`SELECT
      (SELECT COUNT(*) FROM dw.search_query) AS queries, (SELECT COUNT(*) FROM dw.search_keyword) AS keywords,
      (SELECT COUNT(DISTINCT keyword) FROM dw.search_keyword) AS distinct_keywords,
      (SELECT COUNT(*) FROM dw.search_library) AS libraries, (SELECT COUNT(*) FROM dw.search_isbn13) AS isbns,
      (SELECT COUNT(DISTINCT isbn13) FROM dw.search_isbn13) AS distinct_isbns,
      (SELECT COUNT(*) FROM dw.user_choice) AS choices`);
    console.log(rows[0]);
  });
}

/** Runs the refresh as refreshMart does (one transaction, lock first), timing or explaining each statement. */
async function run(explain: boolean, repeat: number): Promise<void> {
  await withClient(probeUrl(), async (client) => {
    for (const statement of MART_SCHEMA_DDL) await client.query(statement);
    const values: MartValues = {
      report_date: DAY,
      next_date: addDays(DAY, 1),
      top_rows: MART_TOP_ROWS,
      time_zone: 'Asia/Seoul',
    };
    const sqlDir = process.env.MART_PROBE_SQL_DIR;
    const plan = sqlDir
      ? MART_TABLES.map((table) => ({
          table,
          statements: splitStatements(readFileSync(path.join(sqlDir, `${table}.sql`), 'utf8'))
            .flatMap((sql) => (process.env.MART_PROBE_TEMP === '1' ? viaTempTable(table, sql) : [sql]))
            .map((sql) => bindNamed(sql, refreshValues(values))),
        }))
      : refreshStatements(values, 'postgres');
    const settings = (process.env.MART_PROBE_SETTINGS ?? '').split(';').filter(Boolean);
    const backend = Number((await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid);
    const wall: Record<string, number[]> = {};
    const cpu: Record<string, number[]> = {};
    for (let round = 0; round < repeat; round++) {
      await client.query('BEGIN');
      await client.query(refreshLockStatement('postgres'));
      for (const setting of settings) {
        const [name, value] = setting.split('=');
        await client.query(`SELECT set_config($1, $2, true)`, [name!.trim(), value!.trim()]);
      }
      const started = performance.now();
      const startedCpu = cpuMs(backend);
      for (const { table, statements } of plan) {
        const t0 = performance.now();
        const c0 = cpuMs(backend);
        for (const statement of statements) {
          const sql = explain
            ? `EXPLAIN (ANALYZE, BUFFERS, VERBOSE, COSTS OFF) ${statement.sql}`
            : statement.sql;
          const result = await client.query(sql, statement.params);
          if (explain && !statement.sql.startsWith('DELETE')) {
            console.log(`-- ${table}: ${statement.sql.split('\n')[0]!.slice(0, 80)}`);
            console.log((result.rows as Record<string, string>[]).map((r) => r['QUERY PLAN']).join('\n'));
          }
        }
        (wall[table] ??= []).push(performance.now() - t0);
        (cpu[table] ??= []).push(cpuMs(backend) - c0);
      }
      (wall.total ??= []).push(performance.now() - started);
      (cpu.total ??= []).push(cpuMs(backend) - startedCpu);
      await client.query('COMMIT');
    }
    // Wall time is what the refresh waits; the backend's CPU leaves out parallel workers' share, and
    // stays put when other work on the machine stretches the wall time.
    console.log(
      `${'table'.padEnd(28)} ${'wall min'.padStart(9)} ${'median'.padStart(7)} ${'cpu min'.padStart(8)}   (ms, ${repeat} rounds)`,
    );
    for (const [table, times] of Object.entries(wall)) {
      console.log(
        `${table.padEnd(28)} ${Math.min(...times)
          .toFixed(0)
          .padStart(9)} ${median(times).toFixed(0).padStart(7)} ${Math.min(...cpu[table]!)
          .toFixed(0)
          .padStart(8)}`,
      );
    }
  });
}

/** User + system CPU of a local process so far, in ms (Linux /proc; the probe runs beside PostgreSQL). */
function cpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return Number.NaN;
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function main(): Promise<void> {
  const command = process.argv[2];
  if (command === 'seed') await seed();
  else if (command === 'time') await run(false, Number(process.argv[3] ?? 3));
  else if (command === 'explain') await run(true, 1);
  else if (command === 'drop') {
    await withClient(ADMIN_URL, (admin) => admin.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`));
  } else {
    console.error('usage: tsx bench/martProbe.ts seed | time [rounds] | explain | drop');
    process.exitCode = 2;
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});

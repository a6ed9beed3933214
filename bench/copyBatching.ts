import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { DAY_KINDS, dateLiteral, stagedColumns, stagedDefinition } from '../src/activities/sql/dayTables';
import { createPgPool } from '../src/adapters/warehouse/pgWarehouse';
import { BENCH_DATE, RESULTS_DIR, REPO_ROOT } from './benchEnv';
import { cpuSnapshot, cpuUsed } from './cpuTime';

/**
 * `node --import ./node_modules/tsx/dist/loader.mjs bench/copyBatching.ts [ITEMS]`: what PostgreSQL spends on
 * the scan's page commits, alone. The day's exploded rows (`npm run bench` prepares them under
 * `.data/bench/rows-<ITEMS>`, default 200,000) are cut into pages as the scan makes them (40 pages at 200,000
 * items, 10 per segment) and COPYed by four writers at once (the segments) into four staged-day tables shaped
 * like the run's (defaulted day, CHECK), each commit with a checkpoint row as `commitPage` writes it.
 * `pagesPerCommit` 1 is today's rule (a crash re-reads at most one page); 5 and 10 are fewer, larger COPYs.
 */

const PAGES_PER_SEGMENT = 10;
const SEGMENTS = 4;

/** Splits CSV text into `n` pieces at line ends outside quotes. */
function splitCsv(text: Buffer, n: number): Buffer[] {
  const pieces: Buffer[] = [];
  const target = Math.ceil(text.length / n);
  let start = 0;
  let quoted = false;
  let i = 0;
  while (i < text.length) {
    const byte = text[i]!;
    if (byte === 0x22) quoted = !quoted;
    else if (byte === 0x0a && !quoted && i + 1 - start >= target) {
      pieces.push(text.subarray(start, i + 1));
      start = i + 1;
    }
    i++;
  }
  if (start < text.length) pieces.push(text.subarray(start));
  while (pieces.length < n) pieces.push(Buffer.alloc(0));
  return pieces;
}

async function copy(client: PoolClient, table: string, columns: readonly string[], data: Buffer) {
  if (data.length === 0) return;
  const stream = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN WITH (FORMAT csv)`));
  await pipeline(Readable.from([data]), stream);
}

async function main(): Promise<void> {
  const items = Number(process.argv[2] ?? 200_000);
  const rowsDir = path.join(REPO_ROOT, '.data', 'bench', `rows-${items}`);
  const pages = SEGMENTS * PAGES_PER_SEGMENT;
  const byKind = Object.fromEntries(
    DAY_KINDS.map((kind) => [kind, splitCsv(readFileSync(path.join(rowsDir, `${kind}.csv`)), pages)]),
  ) as Record<(typeof DAY_KINDS)[number], Buffer[]>;
  const db = 'libreport_copy_batching';
  const admin = createPgPool('postgres://postgres@127.0.0.1:5432/postgres', { max: 1 });
  await admin.query(`DROP DATABASE IF EXISTS ${db}`);
  await admin.query(`CREATE DATABASE ${db}`);
  const pool = createPgPool(`postgres://postgres@127.0.0.1:5432/${db}`, { max: SEGMENTS + 1 });
  const lines: string[] = [];
  const say = (line: string) => {
    console.log(line);
    lines.push(line);
  };
  say(
    `load average before: ${os
      .loadavg()
      .map((n) => n.toFixed(2))
      .join(' ')}`,
  );
  say('');
  say(
    '| trial | pages per commit | commits | COPYs | wall ms | PostgreSQL CPU-s (bench DB backends) | node CPU-s |',
  );
  say('| ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (let trial = 1; trial <= 3; trial++) {
    for (const pagesPerCommit of [1, 5, 10]) {
      const t = (kind: string) => `st_${kind}`;
      for (const kind of DAY_KINDS) {
        await pool.query(`DROP TABLE IF EXISTS ${t(kind)}`);
        await pool.query(
          `CREATE TABLE ${t(kind)} (${stagedDefinition(kind, BENCH_DATE)}, CHECK (query_date = ${dateLiteral(BENCH_DATE)}))`,
        );
      }
      await pool.query('DROP TABLE IF EXISTS st_ck');
      await pool.query(
        'CREATE TABLE st_ck (segment INTEGER NOT NULL, page INTEGER NOT NULL, last_key VARCHAR(65535), counts VARCHAR(65535) NOT NULL)',
      );
      await pool.query('CHECKPOINT');
      const tracked = { workerPids: [process.pid], dynamoPort: '-', benchDatabases: [db] };
      const before = cpuSnapshot(tracked);
      const started = Date.now();
      let commits = 0;
      let copies = 0;
      await Promise.all(
        Array.from({ length: SEGMENTS }, async (_, segment) => {
          const client = await pool.connect();
          try {
            for (let first = 0; first < PAGES_PER_SEGMENT; first += pagesPerCommit) {
              await client.query('BEGIN');
              for (const kind of DAY_KINDS) {
                const chunk = Buffer.concat(
                  Array.from(
                    { length: Math.min(pagesPerCommit, PAGES_PER_SEGMENT - first) },
                    (_, k) => byKind[kind][segment * PAGES_PER_SEGMENT + first + k]!,
                  ),
                );
                await copy(client, t(kind), stagedColumns(kind), chunk);
                copies++;
              }
              await client.query('LOCK TABLE st_ck');
              await client.query('DELETE FROM st_ck WHERE segment = $1 AND page = $2', [segment, first]);
              await client.query('INSERT INTO st_ck VALUES ($1, $2, $3, $4)', [
                segment,
                first + pagesPerCommit,
                '{"query_id":{"S":"x"}}',
                '{}',
              ]);
              await client.query('SELECT COUNT(*) FROM st_ck WHERE segment = $1', [segment]);
              await client.query('COMMIT');
              commits++;
            }
          } finally {
            client.release();
          }
        }),
      );
      const wall = Date.now() - started;
      const used = cpuUsed(before, cpuSnapshot(tracked));
      say(
        `| ${trial} | ${pagesPerCommit} | ${commits} | ${copies} | ${wall} | ${used.pgBench.toFixed(2)} | ${used.worker.toFixed(2)} |`,
      );
    }
  }
  say('');
  say(
    `load average after: ${os
      .loadavg()
      .map((n) => n.toFixed(2))
      .join(' ')}`,
  );
  await pool.end();
  await admin.query(`DROP DATABASE ${db}`);
  await admin.end();
  writeFileSync(
    path.join(RESULTS_DIR, `${new Date().toISOString().slice(0, 10)}-copy-batching-${items}.md`),
    `# Page commits: one page per transaction against fewer, larger COPYs (${items.toLocaleString('en-US')} items)\n\n` +
      `Command: \`node --import ./node_modules/tsx/dist/loader.mjs bench/copyBatching.ts ${items}\`\n\n${lines.join('\n')}\n`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { selectDayChoices } from '../src/activities/sql/rds';
import { pgRds } from '../src/adapters/rds/pgRds';
import { csvLine } from '../src/adapters/warehouse/csv';
import { EncodedRows } from '../src/adapters/warehouse/encodedRows';
import { createPgPool } from '../src/adapters/warehouse/pgWarehouse';
import { cpuSnapshot, cpuUsed } from './cpuTime';
import { RESULTS_DIR } from './benchEnv';

/**
 * `node --import ./node_modules/tsx/dist/loader.mjs bench/rdsRead.ts [CHOICES…]`: how extractRds reads a day's
 * `user_choice` rows, alone, in a scratch database per size (CHOICES rows on one Seoul day, default 100,000 and
 * 490,000: what the bench's 200,000- and 1M-item days hold), in two shapes: `seeded`, ids in no time order
 * (as `libreport seed` writes them) and no planner statistics (as the bench's RDS has), and `history`, analysed, ids in time order (a bigserial)
 * after three earlier days of as many choices. Each trial reads and encodes the day both ways,
 * interleaved: paging by id (`… AND id > $last ORDER BY id LIMIT 10000`, before 2026-12-06) and one cursor
 * fetched 10,000 rows at a time (`Rds.pages`). Prints and writes `results/<date>-rds-read.md`.
 */

const PAGE = 10_000;
const FROM = '2024-05-15T15:00:00.000Z';
const TO = '2024-05-16T15:00:00.000Z';
const KEYSET = `SELECT id, user_id, query_id, isbn13,
  to_char(chosen_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS chosen_at
  FROM user_choice WHERE chosen_at >= $1 AND chosen_at < $2 AND id > $3 ORDER BY id LIMIT ${PAGE}`;
type Choice = { id: string; user_id: string; query_id: string; isbn13: string; chosen_at: string };

function encode(rows: Choice[]): number {
  const encoded = new EncodedRows(csvLine);
  for (const r of rows) encoded.push([r.id, r.user_id, r.query_id, r.isbn13, r.chosen_at, '2024-05-16']);
  return encoded.length;
}

async function main(): Promise<void> {
  const sizes = process.argv.slice(2).map(Number);
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
  say('| choices | ids | trial | how | wall ms | node CPU-s | PostgreSQL CPU-s |');
  say('| ---: | --- | ---: | --- | ---: | ---: | ---: |');
  for (const choices of sizes.length ? sizes : [100_000, 490_000])
    for (const shape of ['seeded', 'history'] as const) {
      const admin = pgRds(createPgPool('postgres://postgres@127.0.0.1:5432/postgres', { max: 1 }));
      const db = `libreport_rds_read_${choices}`;
      await admin.query(`DROP DATABASE IF EXISTS ${db}`);
      await admin.query(`CREATE DATABASE ${db}`);
      await admin.close();
      const rds = pgRds(createPgPool(`postgres://postgres@127.0.0.1:5432/${db}`, { max: 1 }));
      await rds.query(`CREATE TABLE user_choice (id BIGSERIAL PRIMARY KEY, user_id TEXT NOT NULL,
      query_id TEXT NOT NULL, isbn13 TEXT NOT NULL, chosen_at TIMESTAMPTZ NOT NULL)`);
      await rds.query('CREATE INDEX user_choice_chosen_at ON user_choice (chosen_at)');
      const days = shape === 'history' ? 4 : 1;
      await rds.query(
        `INSERT INTO user_choice (id, user_id, query_id, isbn13, chosen_at)
       SELECT CASE WHEN $3 THEN g ELSE (random() * 9e18)::bigint END,
              'user-' || (g % 50000), 'q-' || md5(g::text), '979' || lpad(g::text, 10, '0'),
              $1::timestamptz - interval '1 day' * ($4::int - 1) + ((g - 1) * interval '1 day') / $2::int
       FROM generate_series(1, $2::int * $4::int) g`,
        [FROM, choices, shape === 'history', days],
      );
      // The bench's RDS is never analysed (autovacuum is off on these machines, and the seed runs just before).
      if (shape === 'history') await rds.query('ANALYZE user_choice');
      const [{ n: dayRows }] = (await rds.query<{ n: string }>(
        'SELECT COUNT(*) AS n FROM user_choice WHERE chosen_at >= $1 AND chosen_at < $2',
        [FROM, TO],
      )) as [{ n: string }];
      for (let trial = 1; trial <= 3; trial++) {
        for (const how of ['id pages', 'cursor'] as const) {
          const tracked = { workerPids: [process.pid], dynamoPort: '-', benchDatabases: [db] };
          const before = cpuSnapshot(tracked);
          const started = Date.now();
          let n = 0;
          if (how === 'id pages') {
            let after: string | number = 0;
            for (;;) {
              const rows: Choice[] = await rds.query<Choice>(KEYSET, [FROM, TO, after]);
              n += encode(rows);
              if (rows.length < PAGE) break;
              after = rows[rows.length - 1]!.id;
            }
          } else {
            for await (const rows of rds.pages<Choice>(selectDayChoices, [FROM, TO], PAGE)) n += encode(rows);
          }
          const wall = Date.now() - started;
          const used = cpuUsed(before, cpuSnapshot(tracked));
          if (n !== Number(dayRows)) throw new Error(`${how} read ${n} rows, not ${dayRows}`);
          say(
            `| ${choices} | ${shape} | ${trial} | ${how} | ${wall} | ${used.worker.toFixed(2)} | ${used.pgBench.toFixed(2)} |`,
          );
        }
      }
      await rds.close();
      const drop = pgRds(createPgPool('postgres://postgres@127.0.0.1:5432/postgres', { max: 1 }));
      await drop.query(`DROP DATABASE ${db}`);
      await drop.close();
    }
  say('');
  say(
    `load average after: ${os
      .loadavg()
      .map((n) => n.toFixed(2))
      .join(' ')}`,
  );
  const file = path.join(RESULTS_DIR, `${new Date().toISOString().slice(0, 10)}-rds-read.md`);
  writeFileSync(
    file,
    `# extractRds: reading a day's choices by id pages and through one cursor\n\n` +
      'Command: `node --import ./node_modules/tsx/dist/loader.mjs bench/rdsRead.ts`\n\n' +
      `${lines.join('\n')}\n`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

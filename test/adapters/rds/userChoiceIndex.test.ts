import { createPgPool } from '../../../src/adapters/warehouse/pgWarehouse';
import { ensureRdsSchema, pgRds } from '../../../src/adapters/rds/pgRds';
import type { Rds } from '../../../src/adapters/rds/port';
import { selectDayChoices } from '../../../src/activities/sql/rds';
import { addDays, startOfDayInZone } from '../../../src/domain/reportDate';
import { freshDatabase, type TestDatabase } from '../../support/databases';

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}

function nodesOf(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(nodesOf)];
}

const ZONE = 'Asia/Seoul';
const FIRST_DAY = '2024-05-01';
const DAYS = 30;
const PER_DAY = 3_000;
const DAY = '2024-05-16';

/**
 * extractRds reads a day's choices as a `chosen_at` range through one cursor. PostgreSQL could also scan the
 * whole table; a month of history is enough for its cost model to choose, so this checks what it chooses.
 */
describe('user_choice is read by day through its chosen_at index', () => {
  let db: TestDatabase;
  let rds: Rds;

  beforeAll(async () => {
    db = await freshDatabase('rds_choice_index');
    rds = pgRds(createPgPool(db.url, { max: 1 }));
    await ensureRdsSchema(rds);
    // A month of choices in time order (ids grow with chosen_at, as the service's bigserial does).
    await rds.query(
      `INSERT INTO user_choice (user_id, query_id, isbn13, chosen_at)
       SELECT 'u' || (g % 997), 'q' || g, '979' || lpad(g::text, 10, '0'),
              $1::timestamptz + (g - 1) * ($2::numeric * interval '1 second')
       FROM generate_series(1, $3::int) g`,
      [startOfDayInZone(FIRST_DAY, ZONE).toISOString(), (24 * 3600) / PER_DAY, DAYS * PER_DAY],
    );
    await rds.query('ANALYZE user_choice');
  });

  afterAll(async () => {
    await rds?.close();
    await db?.drop();
  });

  async function plan(): Promise<PlanNode[]> {
    const from = startOfDayInZone(DAY, ZONE).toISOString();
    const to = startOfDayInZone(addDays(DAY, 1), ZONE).toISOString();
    const [row] = await rds.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
      `EXPLAIN (FORMAT JSON) ${selectDayChoices}`,
      [from, to],
    );
    return nodesOf(row!['QUERY PLAN'][0].Plan);
  }

  async function dayIds(): Promise<{ first: number; last: number; n: number }> {
    const from = startOfDayInZone(DAY, ZONE).toISOString();
    const to = startOfDayInZone(addDays(DAY, 1), ZONE).toISOString();
    const [row] = await rds.query<{ first: string; last: string; n: string }>(
      `SELECT MIN(id) AS first, MAX(id) AS last, COUNT(*) AS n FROM user_choice WHERE chosen_at >= $1 AND chosen_at < $2`,
      [from, to],
    );
    return { first: Number(row!.first), last: Number(row!.last), n: Number(row!.n) };
  }

  it('reads the day through user_choice_chosen_at, never the whole table or the primary key', async () => {
    const ids = await dayIds();
    expect(ids.n).toBe(PER_DAY);
    const nodes = await plan();
    const scans = nodes
      .filter((n) => /Scan/.test(n['Node Type']))
      .map((n) => `${n['Node Type']} ${n['Index Name'] ?? n['Relation Name']}`);
    // One index lookup of the day's range (a bitmap scan adds the heap visit of what it found); no Seq Scan of
    // user_choice, no walk of user_choice_pkey.
    expect(scans).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^(Index Scan|Index Only Scan|Bitmap Index Scan) user_choice_chosen_at$/),
      ]),
    );
    expect(scans.filter((s) => !/ user_choice_chosen_at$|^Bitmap Heap Scan user_choice$/.test(s))).toEqual(
      [],
    );
  });

  it('pages through exactly the day, each row once, and closes its cursor when stopped early', async () => {
    const from = startOfDayInZone(DAY, ZONE).toISOString();
    const to = startOfDayInZone(addDays(DAY, 1), ZONE).toISOString();
    const pages: { id: string; chosen_at: string }[][] = [];
    for await (const page of rds.pages<{ id: string; chosen_at: string }>(
      selectDayChoices,
      [from, to],
      1_000,
    ))
      pages.push(page);
    const rows = pages.flat();
    const ids = await dayIds();
    expect(pages.map((p) => p.length)).toEqual([1_000, 1_000, 1_000]);
    expect(new Set(rows.map((r) => r.id)).size).toBe(PER_DAY);
    expect(Math.min(...rows.map((r) => Number(r.id)))).toBe(ids.first);
    expect(Math.max(...rows.map((r) => Number(r.id)))).toBe(ids.last);
    for (const row of rows) expect(row.chosen_at >= from.slice(0, 19) && row.chosen_at < to).toBe(true);

    // Stopping after the first page ends the cursor's transaction: the pool's one connection is free again.
    for await (const page of rds.pages(selectDayChoices, [from, to], 1_000)) {
      expect(page).toHaveLength(1_000);
      break;
    }
    const [{ n }] = (await rds.query<{ n: string }>('SELECT COUNT(*) AS n FROM pg_cursors')) as [
      { n: string },
    ];
    expect(Number(n)).toBe(0);
  });
});

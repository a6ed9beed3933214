import { createPgPool } from '../../../src/adapters/warehouse/pgWarehouse';
import { ensureRdsSchema, pgRds } from '../../../src/adapters/rds/pgRds';
import type { Rds } from '../../../src/adapters/rds/port';
import { RDS_PAGE_ROWS } from '../../../src/activities/load';
import { selectDayChoicesPage } from '../../../src/activities/sql/rds';
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
 * extractRds reads a day's choices as a `chosen_at` range paged by id. With `ORDER BY id … LIMIT` PostgreSQL
 * may prefer to walk the primary key in id order and filter on `chosen_at` (reading every earlier day), or scan
 * the table; a month of history is enough for its cost model to choose, so this checks what it chooses.
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

  async function plan(after: number): Promise<PlanNode[]> {
    const from = startOfDayInZone(DAY, ZONE).toISOString();
    const to = startOfDayInZone(addDays(DAY, 1), ZONE).toISOString();
    const [row] = await rds.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
      `EXPLAIN (FORMAT JSON) ${selectDayChoicesPage(RDS_PAGE_ROWS)}`,
      [from, to, after],
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

  it.each([
    ['the first page', () => 0],
    ['a later page', (ids: { first: number; last: number }) => Math.floor((ids.first + ids.last) / 2)],
  ])('reads %s through user_choice_chosen_at, never the whole table or the primary key', async (_, after) => {
    const ids = await dayIds();
    expect(ids.n).toBe(PER_DAY);
    const nodes = await plan(after(ids));
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

  it('pages through exactly the day, in id order', async () => {
    const from = startOfDayInZone(DAY, ZONE).toISOString();
    const to = startOfDayInZone(addDays(DAY, 1), ZONE).toISOString();
    const rows = await rds.query<{ id: string; chosen_at: string }>(selectDayChoicesPage(RDS_PAGE_ROWS), [
      from,
      to,
      0,
    ]);
    const ids = await dayIds();
    expect(rows).toHaveLength(PER_DAY);
    expect(Number(rows[0]!.id)).toBe(ids.first);
    expect(Number(rows[rows.length - 1]!.id)).toBe(ids.last);
    for (const row of rows) expect(row.chosen_at >= from.slice(0, 19) && row.chosen_at < to).toBe(true);
  });
});

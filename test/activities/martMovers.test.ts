import { createMartActivities, readReportData } from '../../src/activities/mart';
import { MOVERS_KEPT, MOVERS_MIN_COUNT, MOVERS_SHOWN, MART_TOP_ROWS } from '../../src/activities/sql/mart';
import { createPgPool, pgWarehouse } from '../../src/adapters/warehouse/pgWarehouse';
import type { Warehouse } from '../../src/adapters/warehouse/port';
import { redshiftDataWarehouse } from '../../src/adapters/warehouse/redshiftDataWarehouse';
import { freshDatabase, type TestDatabase } from '../support/databases';
import { startRedshiftStandIns, type RedshiftStandIns } from '../support/redshiftStandIns';
import { createWarehouseSchema, insertBooks, insertSearches, type BookRow } from './martRows';
import {
  MOVERS_BOOK,
  MOVERS_DAY,
  MOVERS_EARLIER_DAYS,
  MOVERS_WEEK_AGO,
  moversSearches,
} from './moversFixture';
import { referenceMovers, type ReferenceMover } from './moversReference';

/**
 * "What moved" (mart.daily_movers) on a seeded multi-day fixture, once per warehouse kind: PostgreSQL directly,
 * and Redshift through the local Data API endpoint and its dialect gate. The mart's answer is compared with one
 * computed in TypeScript from the same rows (moversReference.ts), and the cases that matter are named.
 */

const BOOKS: readonly BookRow[] = [{ isbn: MOVERS_BOOK.A, title: '채식주의자' }];
const STAGING_BUCKET = 'libreport-movers';

type Kind = 'pg' | 'redshift-data';

describe.each<Kind>(['pg', 'redshift-data'])('daily_movers on %s', (kind) => {
  let db: TestDatabase;
  let standIns: RedshiftStandIns | undefined;
  let warehouse: Warehouse;
  let rows: ReferenceMover[];
  const searches = moversSearches();

  beforeAll(async () => {
    db = await freshDatabase(`movers_${kind.replace('-', '_')}`);
    if (kind === 'pg') {
      warehouse = pgWarehouse(createPgPool(db.url));
    } else {
      standIns = await startRedshiftStandIns(db.url, { buckets: [STAGING_BUCKET] });
      warehouse = redshiftDataWarehouse({
        client: standIns.dataClient({ maxAttempts: 3 }),
        s3: standIns.s3Client(),
        config: {
          kind: 'redshift-data',
          clusterId: 'libreport-dw',
          database: 'dev',
          dbUser: 'libreport',
          iamRole: 'arn:aws:iam::123456789012:role/redshift-copy',
          stagingBucket: STAGING_BUCKET,
          stagingPrefix: 'libreport/staging',
        },
        region: 'ap-northeast-2',
        pollIntervalMs: 5,
        maxPollIntervalMs: 50,
      });
    }
    await createWarehouseSchema(warehouse);
    await insertSearches(warehouse, searches);
    await insertBooks(warehouse, BOOKS);
    const mart = createMartActivities({ warehouse, timeZone: 'Asia/Seoul' });
    for (const date of [...MOVERS_EARLIER_DAYS, MOVERS_DAY]) await mart.refreshMart({ date });
    rows = await martMovers(MOVERS_DAY);
  });

  afterAll(async () => {
    await warehouse?.close();
    await standIns?.close();
    await db?.drop();
  });

  async function martMovers(date: string): Promise<ReferenceMover[]> {
    const found = await warehouse.query<Record<string, unknown>>(
      `SELECT kind, basis, direction, ranking, item, title, today_count, basis_count, change, new_in_top
       FROM mart.daily_movers WHERE report_date = $1 ORDER BY kind, basis, direction, ranking`,
      [date],
    );
    return found.map((r) => ({
      kind: r.kind as ReferenceMover['kind'],
      basis: r.basis as ReferenceMover['basis'],
      direction: r.direction as ReferenceMover['direction'],
      ranking: Number(r.ranking),
      item: String(r.item),
      title: r.title === null ? null : String(r.title),
      todayCount: Number(r.today_count),
      basisCount: Number(r.basis_count),
      change: Number(r.change),
      // The Data API returns booleans as booleans; PostgreSQL too. Anything else is a bug worth seeing.
      newInTop: r.new_in_top as boolean,
    }));
  }

  const find = (k: string, basis: string, item: string) =>
    rows.find((r) => r.kind === k && r.basis === basis && r.item === item);

  it('agrees with the movers computed in TypeScript from the same rows', () => {
    const expected = referenceMovers(MOVERS_DAY, searches, BOOKS, {
      floor: MOVERS_MIN_COUNT,
      top: MART_TOP_ROWS,
      kept: MOVERS_KEPT,
    });
    const order = (list: ReferenceMover[]) =>
      [...list].sort(
        (a, b) =>
          a.kind.localeCompare(b.kind) ||
          a.basis.localeCompare(b.basis) ||
          a.direction.localeCompare(b.direction) ||
          a.ranking - b.ranking,
      );
    const round = (list: ReferenceMover[]) =>
      order(list).map((r) => ({ ...r, basisCount: round6(r.basisCount), change: round6(r.change) }));
    expect(expected.length).toBeGreaterThan(10);
    expect(round(rows)).toEqual(round(expected));
  });

  it('compares with the same weekday a week before and with the mean of the earlier days with data', () => {
    // 소설 (novel): 30 today, 12 a week before, (12+15+15+14+16+15)/6 = 14.5 on average (08-12 has no data).
    expect(find('keyword', 'week', '소설')).toMatchObject({ direction: 'rose', todayCount: 30, change: 18 });
    expect(find('keyword', 'average', '소설')).toMatchObject({ direction: 'rose', basisCount: 14.5 });
    // Failed searches do not count: 역사 had 40 failed searches today and fell from 20 to 5.
    expect(find('keyword', 'week', '역사')).toMatchObject({
      direction: 'fell',
      todayCount: 5,
      basisCount: 20,
    });
    expect(find('library', 'week', '노원')).toMatchObject({ direction: 'fell', change: -15 });
    expect(find('book', 'week', MOVERS_BOOK.A)).toMatchObject({ title: '채식주의자', change: 12 });
  });

  it('ignores counts under the floor on both days, and keeps a count on it', () => {
    expect(MOVERS_MIN_COUNT).toBe(10);
    // tiny: 1 -> 8, the largest relative rise of the day, but under the floor on both days.
    expect(rows.filter((r) => r.item === 'tiny')).toEqual([]);
    expect(rows.filter((r) => r.item === '마포')).toEqual([]);
    // 여행: 9 -> 10, today's count is on the floor.
    expect(find('keyword', 'week', '여행')).toMatchObject({ direction: 'rose', change: 1 });
  });

  it('marks what is new in the top 50: no history at all, or history below the top 50', () => {
    expect(find('keyword', 'week', 'AI')).toMatchObject({ newInTop: true, basisCount: 0, change: 12 });
    // late: 2 a day before, below 52 fillers, 14 today.
    expect(find('keyword', 'week', 'late')).toMatchObject({ newInTop: true, basisCount: 2, change: 12 });
    expect(find('book', 'week', MOVERS_BOOK.B)).toMatchObject({ newInTop: true, title: null });
    expect(find('keyword', 'week', '소설')).toMatchObject({ newInTop: false });
  });

  it('keeps at most the first few of each kind, basis and direction, ranked by the size of the change', () => {
    const groups = new Map<string, number[]>();
    for (const r of rows) {
      const key = `${r.kind}/${r.basis}/${r.direction}`;
      groups.set(key, [...(groups.get(key) ?? []), Math.abs(r.change)]);
    }
    for (const changes of groups.values()) {
      expect(changes.length).toBeLessThanOrEqual(MOVERS_KEPT);
      expect(changes).toEqual([...changes].sort((a, b) => b - a));
    }
  });

  it('has nothing to compare on a first day: no week before and no earlier day with data', async () => {
    expect(await martMovers(MOVERS_WEEK_AGO)).toEqual([]);
  });

  it('reaches the report: movers per kind and basis, the first few, with the floor', async () => {
    const data = await readReportData(warehouse, { date: MOVERS_DAY, locale: 'ko' });
    expect(data.movers?.minCount).toBe(MOVERS_MIN_COUNT);
    const items = data.movers?.items ?? [];
    expect(items.length).toBeGreaterThan(0);
    expect(
      items
        .filter((m) => m.kind === 'keyword' && m.basis === 'week' && m.direction === 'rose')
        .map((m) => m.label),
    ).toEqual(['소설', 'AI', 'late'].slice(0, MOVERS_SHOWN));
    expect(
      items.find((m) => m.kind === 'book' && m.basis === 'week' && m.label === '채식주의자'),
    ).toMatchObject({ change: 12, todayCount: 22 });
  });
});

function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

import { DeleteTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Pool } from 'pg';
import { createDynamoClient, dynamoSearchTable } from '../../src/adapters/dynamo/dynamoSearchTable';
import type { RawItem, SearchTable } from '../../src/adapters/dynamo/port';
import { pgRds } from '../../src/adapters/rds/pgRds';
import type { Rds } from '../../src/adapters/rds/port';
import { createPgPool } from '../../src/adapters/warehouse/pgWarehouse';
import { generateCatalogue } from '../../src/seed/catalogue';
import { generateSearchItems } from '../../src/seed/generateSearches';
import { resolveSeedOptions, type SeedOptions } from '../../src/seed/options';
import { seedSource } from '../../src/seed/seedSource';
import { freshDatabase, type TestDatabase } from '../support/databases';

/** The local DynamoDB stand-in (`libreport stack up` or `node node_modules/dynalite/cli.js --port 4567`). */
const DYNAMODB_ENDPOINT = process.env.TEST_DYNAMODB_ENDPOINT ?? 'http://127.0.0.1:4567';

const options: SeedOptions = {
  seed: 'integration',
  items: 400,
  days: 2,
  startDate: '2024-05-15',
  badItemRate: 0.05,
  legacyShare: 0.1,
  catalogueSize: 300,
  staffSize: 12,
};

let db: TestDatabase;
let pool: Pool;
let rds: Rds;
let client: DynamoDBClient;
let table: SearchTable;

beforeAll(async () => {
  db = await freshDatabase('seed');
  pool = createPgPool(db.url, { max: 2 });
  rds = pgRds(pool);
  const settings = {
    endpoint: DYNAMODB_ENDPOINT,
    region: 'ap-northeast-2',
    table: `seed_test_${process.pid}_${Date.now()}`,
  };
  client = createDynamoClient(settings);
  table = dynamoSearchTable(client, settings);
  // Byte-for-byte comparison needs every generated item written, wrong-typed dates too: no day index (which refuses them).
  await table.ensureTable({ dayIndex: false });
});

afterAll(async () => {
  await client?.send(new DeleteTableCommand({ TableName: table.tableName })).catch(() => undefined);
  client?.destroy();
  await rds?.close();
  await db?.drop();
});

async function scanAll(): Promise<RawItem[]> {
  const items: RawItem[] = [];
  let startKey: RawItem | undefined;
  do {
    const page = await table.scanPage({ segment: 0, totalSegments: 1, startKey });
    items.push(...page.items);
    startKey = page.lastEvaluatedKey;
  } while (startKey);
  return items;
}

/** DynamoDB sets have no order; sort them so items compare by content. */
function normalise(item: RawItem): RawItem {
  return Object.fromEntries(
    Object.entries(item).map(([k, v]) => [k, 'SS' in v ? { SS: [...v.SS].sort() } : v]),
  ) as RawItem;
}

describe('seedSource against dynalite and PostgreSQL', () => {
  const resolved = resolveSeedOptions(options);
  const expected = [
    ...generateSearchItems({
      ...resolved,
      catalogue: generateCatalogue(resolved.seed, resolved.catalogueSize),
    }),
  ];
  const expectedChoices = expected.flatMap((s) => s.choices);

  it('creates the table and writes exactly the generated items, byte for byte', async () => {
    const summary = await seedSource({ table, rds }, options);
    expect(summary.items).toBe(400);
    expect(summary.badItems).toBe(expected.filter((s) => s.badKind).length);
    expect(summary.byDay.map((d) => d.day)).toEqual(['2024-05-15', '2024-05-16']);
    expect(summary.byDay.reduce((a, d) => a + d.items, 0)).toBe(400);
    expect((await table.describe()).partitionKey).toBe('query_id');

    const stored = new Map(
      (await scanAll()).map((item) => [(item.query_id as { S: string }).S, normalise(item)]),
    );
    expect(stored.size).toBe(400);
    const mismatched = expected.filter(
      (s) => JSON.stringify(stored.get(s.queryId)) !== JSON.stringify(normalise(s.item)),
    );
    expect(mismatched.map((s) => s.badKind ?? (s.hostileText ? 'hostile text' : 'good'))).toEqual([]);
  });

  it('writes the catalogue, the staff directory and choices that point at returned books', async () => {
    const [books] = await rds.query<{ n: string }>('SELECT count(*) AS n FROM book_info');
    expect(Number(books!.n)).toBe(300);
    const staff = await rds.query<{ email: string; active: boolean }>('SELECT email, active FROM staff');
    expect(staff).toHaveLength(12);
    expect(staff.every((s) => /^[a-z]+\.[a-z]+\d*@libreport\.local$/.test(s.email))).toBe(true);

    const rows = await rds.query<{
      id: string;
      user_id: string;
      query_id: string;
      isbn13: string;
      chosen_at: Date;
    }>(
      'SELECT c.id::text AS id, c.user_id, c.query_id, c.isbn13, c.chosen_at FROM user_choice c ORDER BY c.id',
    );
    expect(
      rows.map((r) => ({
        id: r.id,
        userId: r.user_id,
        queryId: r.query_id,
        isbn13: r.isbn13,
        chosenAt: r.chosen_at.toISOString(),
      })),
    ).toEqual([...expectedChoices].sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1)));
    const returned = new Map(expected.map((s) => [s.queryId, s.returnedIsbns]));
    expect(rows.filter((r) => !returned.get(r.query_id)?.includes(r.isbn13))).toEqual([]);
    const [orphans] = await rds.query<{ n: string }>(
      'SELECT count(*) AS n FROM user_choice c LEFT JOIN book_info b USING (isbn13) WHERE b.isbn13 IS NULL',
    );
    expect(Number(orphans!.n)).toBe(0);
  });

  it('is idempotent: seeding again with the same options duplicates nothing', async () => {
    await seedSource({ table, rds }, options);
    expect((await scanAll()).length).toBe(400);
    const counts = await rds.query<{ books: string; staff: string; choices: string }>(
      'SELECT (SELECT count(*) FROM book_info) AS books, (SELECT count(*) FROM staff) AS staff, (SELECT count(*) FROM user_choice) AS choices',
    );
    expect(counts[0]).toEqual({ books: '300', staff: '12', choices: String(expectedChoices.length) });
  });
});

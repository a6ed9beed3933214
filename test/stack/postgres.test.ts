import { Client } from 'pg';
import { databaseName, ensureDatabase, probePostgres } from '../../src/stack/postgres';
import { freshDatabase, TEST_PG_ADMIN_URL, type TestDatabase } from '../support/databases';

const noLog = () => undefined;

describe('PostgreSQL', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await freshDatabase('stack_pg');
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('round-trips a row through the real server with parameters', async () => {
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      await client.query('CREATE TABLE note (id int PRIMARY KEY, body text NOT NULL)');
      await client.query('INSERT INTO note (id, body) VALUES ($1, $2)', [1, "도서관 'quoted'"]);
      const { rows } = await client.query('SELECT body FROM note WHERE id = $1', [1]);
      expect(rows).toEqual([{ body: "도서관 'quoted'" }]);
    } finally {
      await client.end();
    }
  });

  it('creates a missing database once and leaves it alone the second time', async () => {
    const url = new URL(TEST_PG_ADMIN_URL);
    url.pathname = `/lr_test_stack_ensure_${process.pid}`;
    const target = url.toString();
    expect(await probePostgres(target)).toEqual({ state: 'no-database' });
    try {
      await ensureDatabase(target, 'WAREHOUSE_URL', noLog);
      await ensureDatabase(target, 'WAREHOUSE_URL', noLog);
      expect(await probePostgres(target)).toEqual({ state: 'up' });
    } finally {
      const admin = new Client({ connectionString: TEST_PG_ADMIN_URL });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${databaseName(target)} WITH (FORCE)`);
      await admin.end();
    }
  });

  it('reports a closed port as refused rather than throwing', async () => {
    const probe = await probePostgres('postgres://postgres@127.0.0.1:1/postgres');
    expect(probe.state).toBe('refused');
  });

  it('refuses a database name it would have to splice into SQL', async () => {
    await expect(
      ensureDatabase('postgres://postgres@127.0.0.1:5432/bad%22name', 'RDS_URL', noLog),
    ).rejects.toThrow(/RDS_URL names the database/);
  });
});

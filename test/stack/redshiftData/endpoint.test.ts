import {
  BatchExecuteStatementCommand,
  CancelStatementCommand,
  DescribeStatementCommand,
  GetStatementResultCommand,
  ListStatementsCommand,
  type RedshiftDataClient,
} from '@aws-sdk/client-redshift-data';
import { Client } from 'pg';
import { freshDatabase, type TestDatabase } from '../../support/databases';
import { startRedshiftStandIns, type RedshiftStandIns } from '../../support/redshiftStandIns';
import { execute, holdLock, run, TARGET, waitFor } from './endpointHelpers';

let db: TestDatabase;
let standIns: RedshiftStandIns;
let client: RedshiftDataClient;

beforeAll(async () => {
  db = await freshDatabase('rsendpoint');
  standIns = await startRedshiftStandIns(db.url, { maxActiveStatements: 5, pageRows: 2 });
  client = standIns.dataClient();
  await run(client, 'CREATE TABLE blocker (id INTEGER)');
  await run(client, 'CREATE TABLE kv (k VARCHAR(10) NOT NULL, v INTEGER)');
});

afterAll(async () => {
  await standIns?.close();
  await db?.drop();
});

/** The error an SDK call fails with: its shape name and message. */
async function refusal(
  call: Promise<unknown>,
): Promise<{ name: string; message: string; $metadata?: unknown }> {
  try {
    await call;
  } catch (error) {
    return error as { name: string; message: string };
  }
  throw new Error('the call succeeded');
}

describe('statement lifecycle', () => {
  it('answers ExecuteStatement at once and moves SUBMITTED → STARTED → FINISHED', async () => {
    const lock = await holdLock(db.url, 'blocker');
    const { id } = await execute(client, 'SELECT COUNT(*) AS n FROM blocker');
    expect(id).toMatch(/^[a-z0-9]{8}(-[a-z0-9]{4}){3}-[a-z0-9]{12}$/);
    const first = await client.send(new DescribeStatementCommand({ Id: id }));
    expect(['SUBMITTED', 'STARTED']).toContain(first.Status);
    const started = await waitFor(client, id, 'STARTED');
    expect(started.ResultRows).toBe(-1);
    expect(started.RedshiftPid).toEqual(expect.any(Number));
    await lock.release();
    const done = await waitFor(client, id);
    expect(done).toMatchObject({
      Status: 'FINISHED',
      HasResultSet: true,
      ResultRows: 1,
      ClusterIdentifier: 'libreport-local',
    });
    expect(done.QueryString).toBe('SELECT COUNT(*) AS n FROM blocker');
    expect(done.Duration).toBeGreaterThan(0);
  });

  it('reports SQL errors as FAILED with the engine text, never as an API error', async () => {
    const failed = await run(client, 'SELECT * FROM no_such_table');
    expect(failed.Status).toBe('FAILED');
    expect(failed.Error).toMatch(/^ERROR: relation "no_such_table" does not exist/);
  });

  it('pages results with NextToken and converts types to Data API fields', async () => {
    await run(client, "INSERT INTO kv VALUES ('a', 1), ('b', NULL), ('c', 3)");
    const described = await run(
      client,
      'SELECT k, v, v > 1 AS big, CAST(v AS DOUBLE PRECISION) / 2 AS half FROM kv ORDER BY k',
    );
    const first = await client.send(new GetStatementResultCommand({ Id: described.Id }));
    expect(first.TotalNumRows).toBe(3);
    expect(first.ColumnMetadata!.map((c) => [c.name, c.typeName])).toEqual([
      ['k', 'varchar'],
      ['v', 'int4'],
      ['big', 'bool'],
      ['half', 'float8'],
    ]);
    expect(first.Records).toEqual([
      [{ stringValue: 'a' }, { longValue: 1 }, { booleanValue: false }, { doubleValue: 0.5 }],
      [{ stringValue: 'b' }, { isNull: true }, { isNull: true }, { isNull: true }],
    ]);
    const second = await client.send(
      new GetStatementResultCommand({ Id: described.Id, NextToken: first.NextToken }),
    );
    expect(second.Records).toEqual([
      [{ stringValue: 'c' }, { longValue: 3 }, { booleanValue: true }, { doubleValue: 1.5 }],
    ]);
    expect(second.NextToken).toBeUndefined();
  });

  it('binds named parameters as strings, in any order and repeated', async () => {
    const described = await run(client, 'SELECT k FROM kv WHERE v = :n OR k = :key OR v = :n ORDER BY k', {
      Parameters: [
        { name: 'key', value: 'b' },
        { name: 'n', value: '3' },
      ],
    });
    const result = await client.send(new GetStatementResultCommand({ Id: described.Id }));
    expect(result.Records).toEqual([[{ stringValue: 'b' }], [{ stringValue: 'c' }]]);
    expect(described.QueryParameters).toEqual([
      { name: 'key', value: 'b' },
      { name: 'n', value: '3' },
    ]);
  });

  it('runs a batch in one transaction with part ids, and rolls all of it back when a part fails', async () => {
    const ok = await client.send(
      new BatchExecuteStatementCommand({
        ...TARGET,
        Sqls: ["INSERT INTO kv VALUES ('d', 4)", 'SELECT COUNT(*) AS n FROM kv'],
      }),
    );
    const done = await waitFor(client, ok.Id!);
    expect(done.Status).toBe('FINISHED');
    expect(done.SubStatements!.map((s) => [s.Id, s.Status, s.HasResultSet])).toEqual([
      [`${ok.Id}:1`, 'FINISHED', false],
      [`${ok.Id}:2`, 'FINISHED', true],
    ]);
    const count = await client.send(new GetStatementResultCommand({ Id: `${ok.Id}:2` }));
    expect(count.Records).toEqual([[{ longValue: 4 }]]);

    const bad = await client.send(
      new BatchExecuteStatementCommand({
        ...TARGET,
        Sqls: ["INSERT INTO kv VALUES ('e', 5)", 'SELECT * FROM nope', 'SELECT 1'],
      }),
    );
    const failed = await waitFor(client, bad.Id!);
    expect(failed.Status).toBe('FAILED');
    expect(failed.SubStatements!.map((s) => s.Status)).toEqual(['FINISHED', 'FAILED', 'ABORTED']);
    const rows = await run(client, "SELECT k FROM kv WHERE k = 'e'");
    expect(rows.ResultRows).toBe(0);
  });
});

describe('sessions', () => {
  it('keeps a session between statements: temp tables and an open transaction carry over', async () => {
    const begun = await execute(client, 'BEGIN', { SessionKeepAliveSeconds: 30 });
    expect(begun.sessionId).toEqual(expect.any(String));
    await waitFor(client, begun.id);
    const inSession = { SessionId: begun.sessionId };
    expect((await run(client, "INSERT INTO kv VALUES ('s', 1)", inSession)).Status).toBe('FINISHED');
    expect((await run(client, "SELECT k FROM kv WHERE k = 's'")).ResultRows).toBe(0);
    const committed = await run(client, 'COMMIT', inSession);
    expect(committed).toMatchObject({ Status: 'FINISHED', SessionId: begun.sessionId });
    expect((await run(client, "SELECT k FROM kv WHERE k = 's'")).ResultRows).toBe(1);
  });

  it("gives an idle session's engine connection back unless a transaction or a temp table needs it", async () => {
    const connections = async () => {
      const admin = new Client({ connectionString: db.url });
      await admin.connect();
      try {
        const { rows } = await admin.query<{ n: string }>(
          `SELECT COUNT(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
        );
        return Number(rows[0]!.n);
      } finally {
        await admin.end();
      }
    };
    const idle = await connections();
    const begun = await execute(client, 'BEGIN', { SessionKeepAliveSeconds: 30 });
    await waitFor(client, begun.id);
    expect(await connections()).toBe(idle + 1);
    await run(client, 'COMMIT', { SessionId: begun.sessionId });
    expect(await connections()).toBe(idle);
    // The session is still open: its next statement gets a connection again.
    expect((await run(client, 'SELECT 1', { SessionId: begun.sessionId })).Status).toBe('FINISHED');

    const temp = await execute(client, 'CREATE TEMP TABLE scratch (a INTEGER)', {
      SessionKeepAliveSeconds: 30,
    });
    await waitFor(client, temp.id);
    expect(await connections()).toBe(idle + 1);
    expect((await run(client, 'INSERT INTO scratch VALUES (1)', { SessionId: temp.sessionId })).Status).toBe(
      'FINISHED',
    );
  });

  it('commits the open transaction after TRUNCATE, as Redshift does', async () => {
    await run(client, 'CREATE TABLE truncated (a INTEGER)');
    await run(client, 'INSERT INTO truncated VALUES (1)');
    const begun = await execute(client, 'BEGIN', { SessionKeepAliveSeconds: 30 });
    await waitFor(client, begun.id);
    const inSession = { SessionId: begun.sessionId };
    await run(client, "INSERT INTO kv VALUES ('t', 1)", inSession);
    expect((await run(client, 'TRUNCATE truncated', inSession)).Status).toBe('FINISHED');
    // The INSERT before it is committed with it: a ROLLBACK now has nothing to undo.
    await run(client, 'ROLLBACK', inSession);
    expect((await run(client, "SELECT k FROM kv WHERE k = 't'")).ResultRows).toBe(1);
    expect((await run(client, 'SELECT a FROM truncated')).ResultRows).toBe(0);
  });

  it('refuses a statement for a session that is busy with another one', async () => {
    const lock = await holdLock(db.url, 'blocker');
    const { id, sessionId } = await execute(client, 'SELECT COUNT(*) FROM blocker', {
      SessionKeepAliveSeconds: 30,
    });
    await waitFor(client, id, 'STARTED');
    const busy = await refusal(execute(client, 'SELECT 1', { SessionId: sessionId }));
    expect(busy.name).toBe('ValidationException');
    expect(busy.message).toMatch(/busy/);
    await lock.release();
    expect((await waitFor(client, id)).Status).toBe('FINISHED');
    expect((await run(client, 'SELECT 1', { SessionId: sessionId })).Status).toBe('FINISHED');
  });

  it('closes an idle session after its keep-alive and refuses it afterwards', async () => {
    const { id, sessionId } = await execute(client, 'SELECT 1', { SessionKeepAliveSeconds: 1 });
    await waitFor(client, id);
    await new Promise((resolve) => setTimeout(resolve, 1300));
    const closed = await refusal(execute(client, 'SELECT 1', { SessionId: sessionId }));
    expect([closed.name, closed.message]).toEqual(['ValidationException', 'Session is not available']);
    const unknown = await refusal(
      execute(client, 'SELECT 1', { SessionId: '00000000-0000-0000-0000-000000000000' }),
    );
    expect(unknown.message).toMatch(/Session with Id: .* is invalid/);
  });

  it('refuses a request that names a cluster as well as a session', async () => {
    const { id, sessionId } = await execute(client, 'SELECT 1', { SessionKeepAliveSeconds: 5 });
    await waitFor(client, id);
    const both = await refusal(execute(client, 'SELECT 1', { SessionId: sessionId, ...TARGET }));
    expect(both.name).toBe('ValidationException');
  });
});

describe('cancel', () => {
  it('cancels a running statement: it ends ABORTED', async () => {
    const lock = await holdLock(db.url, 'blocker');
    const { id } = await execute(client, 'SELECT COUNT(*) FROM blocker');
    await waitFor(client, id, 'STARTED');
    expect((await client.send(new CancelStatementCommand({ Id: id }))).Status).toBe(true);
    const aborted = await waitFor(client, id);
    expect(aborted.Status).toBe('ABORTED');
    await lock.release();
    const again = await refusal(client.send(new CancelStatementCommand({ Id: id })));
    expect([again.name, again.message]).toEqual([
      'ValidationException',
      'Could not cancel a query that is already in ABORTED state.',
    ]);
  });
});

describe('API errors', () => {
  it.each([
    ['no SQL', { ...TARGET, Sql: '' }, /Sql is required/],
    [
      'cluster and workgroup',
      { ...TARGET, WorkgroupName: 'wg1', Sql: 'SELECT 1' },
      /ClusterIdentifier or WorkgroupName/,
    ],
    [
      'no database',
      { ClusterIdentifier: 'c1', Database: undefined, Sql: 'SELECT 1' },
      /Database is required/,
    ],
    [
      'a malformed cluster id',
      { ...TARGET, ClusterIdentifier: 'Bad_Id', Sql: 'SELECT 1' },
      /ClusterIdentifier/,
    ],
    ['SQL over 100 KB', { ...TARGET, Sql: `SELECT '${'x'.repeat(100 * 1024)}'` }, /larger than 100kB/],
    [
      'an unused parameter',
      { ...TARGET, Sql: 'SELECT 1', Parameters: [{ name: 'a', value: '1' }] },
      /not used/,
    ],
    [
      'an empty parameter value',
      { ...TARGET, Sql: 'SELECT :a', Parameters: [{ name: 'a', value: '' }] },
      /empty value/,
    ],
    [
      'CSV results, which it does not implement',
      { ...TARGET, Sql: 'SELECT 1', ResultFormat: 'CSV' as const },
      /CSV is not implemented/,
    ],
    [
      'a placeholder without a parameter',
      { ...TARGET, Sql: 'SELECT :a, :b', Parameters: [{ name: 'a', value: '1' }] },
      /:b/,
    ],
  ])('refuses %s with ValidationException', async (_what, input, message) => {
    const error = await refusal(execute(client, input.Sql, input));
    expect(error.name).toBe('ValidationException');
    expect(error.message).toMatch(message);
  });

  it('answers ResourceNotFoundException for unknown ids and for results of statements without one', async () => {
    const unknown = await refusal(
      client.send(new DescribeStatementCommand({ Id: '00000000-0000-0000-0000-000000000000' })),
    );
    expect(unknown.name).toBe('ResourceNotFoundException');
    const insert = await run(client, "INSERT INTO kv VALUES ('r', 1)");
    const noResult = await refusal(client.send(new GetStatementResultCommand({ Id: insert.Id })));
    expect(noResult.name).toBe('ResourceNotFoundException');
  });

  it('refuses more active statements than the limit with ActiveStatementsExceededException', async () => {
    const lock = await holdLock(db.url, 'blocker');
    const ids: string[] = [];
    let error: { name: string } | undefined;
    try {
      for (let i = 0; i < 6; i++) ids.push((await execute(client, 'SELECT COUNT(*) FROM blocker')).id);
    } catch (e) {
      error = e as { name: string };
    }
    expect(ids).toHaveLength(5);
    expect(error?.name).toBe('ActiveStatementsExceededException');
    await lock.release();
    for (const id of ids) expect((await waitFor(client, id)).Status).toBe('FINISHED');
  });

  it('lists statements newest first, filtered by status', async () => {
    const failed = await run(client, 'SELECT * FROM still_no_table');
    const listed = await client.send(new ListStatementsCommand({ Status: 'FAILED', MaxResults: 1 }));
    expect(listed.Statements!.map((s) => s.Id)).toEqual([failed.Id]);
    expect(listed.NextToken).toBeDefined();
  });
});

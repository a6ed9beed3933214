import { DescribeStatementCommand, RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { ServiceUnavailableError, StatementFailedError } from '../../../src/errors';
import { holdLock } from '../../stack/redshiftData/endpointHelpers';
import { CLUSTER_CONFIG, useRedshiftDataAdapter } from './redshiftDataHarness';

/** The redshift-data adapter's statements and transactions through the local Data API endpoint. */
const rs = useRedshiftDataAdapter('rsquery');
const { warehouse, statementsAfter, knownStatements, stagedObjects, freshTable, sleeps } = rs;

describe('redshiftDataWarehouse query', () => {
  it('sends named parameters (NULL and empty strings as SQL constants) and converts the paged result', async () => {
    const dw = warehouse();
    const table = await freshTable(
      dw,
      'keyword VARCHAR(100), requests BIGINT, share DOUBLE PRECISION, failed BOOLEAN',
    );
    await dw.query(`INSERT INTO ${table} VALUES ($1, $2, $3, $4), ($5, $6, $7, $8), ($9, $10, $11, $12)`, [
      '파이썬',
      12,
      0.5,
      false,
      '',
      3,
      null,
      true,
      null,
      1,
      0.25,
      null,
    ]);
    const before = await knownStatements();
    const rows = await dw.query(
      `SELECT keyword, requests, share, failed FROM ${table} WHERE requests > $1 AND (keyword <> $2 OR keyword IS NULL OR keyword = $3) ORDER BY requests DESC`,
      [0, 'x', ''],
    );
    expect(rows).toEqual([
      { keyword: '파이썬', requests: 12, share: 0.5, failed: false },
      { keyword: '', requests: 3, share: null, failed: true },
      { keyword: null, requests: 1, share: 0.25, failed: null },
    ]);
    const [sent] = await statementsAfter(before);
    expect(sent!.QueryString).toBe(
      `SELECT keyword, requests, share, failed FROM ${table} WHERE requests > :p1 AND (keyword <> :p2 OR keyword IS NULL OR keyword = '') ORDER BY requests DESC`,
    );
    expect(sent!.QueryParameters).toEqual([
      { name: 'p1', value: '0' },
      { name: 'p2', value: 'x' },
    ]);
  });

  it('targets a serverless workgroup with a database user, and returns no rows for statements without a result set', async () => {
    const dw = warehouse({
      config: {
        ...CLUSTER_CONFIG,
        clusterId: undefined,
        workgroup: 'libreport',
        secretArn: undefined,
        dbUser: 'loader',
      },
    });
    const table = await freshTable(dw, 'query_date DATE');
    const before = await knownStatements();
    await expect(dw.query(`DELETE FROM ${table} WHERE query_date = $1`, ['2024-05-01'])).resolves.toEqual([]);
    const [sent] = await statementsAfter(before);
    const described = await rs.standIns.dataClient().send(new DescribeStatementCommand({ Id: sent!.Id }));
    expect(described).toMatchObject({
      WorkgroupName: 'libreport',
      Database: 'dev',
      DbUser: 'loader',
      HasResultSet: false,
    });
    expect(described.ClusterIdentifier).toBeUndefined();
  });

  it('backs off between polls, doubling up to the cap, while a statement runs', async () => {
    const dw = warehouse({ maxPollIntervalMs: 400 });
    const table = await freshTable(dw, 'a INTEGER');
    const lock = await holdLock(rs.db.url, table);
    sleeps.length = 0;
    const query = dw.query(`SELECT COUNT(*) AS n FROM ${table}`);
    while (sleeps.length < 7) await new Promise((resolve) => setTimeout(resolve, 5));
    await lock.release();
    await expect(query).resolves.toEqual([{ n: 0 }]);
    expect(sleeps.slice(0, 7)).toEqual([50, 100, 200, 400, 400, 400, 400]);
  });

  it('turns a FAILED statement into StatementFailedError with the engine message and the statement id', async () => {
    const failure = await warehouse()
      .query('SELECT * FROM mart.nope')
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(StatementFailedError);
    expect((failure as Error).message).toMatch(
      /^Redshift statement [0-9a-f-]{36} failed: ERROR: relation "mart.nope" does not exist/,
    );
  });

  it('turns SQL the dialect gate refuses into StatementFailedError naming the construct', async () => {
    const failure = await warehouse()
      .query('SELECT DISTINCT ON (a) a FROM (SELECT 1 AS a) s')
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(StatementFailedError);
    expect((failure as Error).message).toMatch(/failed: ERROR: Amazon Redshift does not support DISTINCT ON/);
  });

  it('cancels a statement that outlives the timeout (it ends ABORTED) and reports it as retryable', async () => {
    const dw = warehouse({ statementTimeoutMs: 1000 });
    const table = await freshTable(dw, 'a INTEGER');
    const lock = await holdLock(rs.db.url, table);
    const before = await knownStatements();
    try {
      const failure = await dw.query(`SELECT * FROM ${table}`).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(ServiceUnavailableError);
      expect((failure as Error).message).toMatch(
        /was still (SUBMITTED|STARTED) after \ds .* it was cancelled/,
      );
      const [cancelled] = await statementsAfter(before);
      expect(cancelled!.Status).toBe('ABORTED');
    } finally {
      await lock.release();
    }
  });

  it('reports an unreachable Data API endpoint as ServiceUnavailableError', async () => {
    const client = new RedshiftDataClient({
      endpoint: 'http://127.0.0.1:1',
      region: 'ap-northeast-2',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
    try {
      await expect(warehouse({ client }).query('SELECT 1')).rejects.toBeInstanceOf(ServiceUnavailableError);
    } finally {
      client.destroy();
    }
  });
});

describe('redshiftDataWarehouse transaction', () => {
  it('runs BEGIN, every statement and COMMIT in one Data API session, one statement at a time', async () => {
    const dw = warehouse();
    const table = await freshTable(dw, 'query_date DATE, keyword VARCHAR(20)');
    const source = await freshTable(dw, 'query_date DATE, keyword VARCHAR(20)');
    await dw.query(`INSERT INTO ${source} VALUES ($1, $2)`, ['2024-05-01', 'flask']);
    const before = await knownStatements();
    const result = await dw.transaction(async (tx) => {
      await Promise.all([
        tx.query(`DELETE FROM ${table} WHERE query_date = $1`, ['2024-05-01']),
        tx.query(`INSERT INTO ${table} SELECT * FROM ${source} WHERE query_date = $1`, ['2024-05-01']),
      ]);
      return 'done';
    });
    expect(result).toBe('done');
    const sent = await statementsAfter(before);
    expect(sent.map((s) => s.QueryString)).toEqual([
      'BEGIN',
      `DELETE FROM ${table} WHERE query_date = :p1`,
      `INSERT INTO ${table} SELECT * FROM ${source} WHERE query_date = :p1`,
      'COMMIT',
    ]);
    expect(new Set(sent.map((s) => s.SessionId)).size).toBe(1);
    expect(sent[0]!.SessionId).toEqual(expect.any(String));
    expect(sent.every((s) => s.Status === 'FINISHED')).toBe(true);
    await expect(dw.query(`SELECT keyword FROM ${table}`)).resolves.toEqual([{ keyword: 'flask' }]);
  });

  it('rolls back in the same session when a statement fails, and rethrows its error', async () => {
    const dw = warehouse();
    const table = await freshTable(dw, 'query_date DATE, keyword VARCHAR(20)');
    await dw.query(`INSERT INTO ${table} VALUES ($1, $2)`, ['2024-05-01', 'kept']);
    const before = await knownStatements();
    const failure = await dw
      .transaction(async (tx) => {
        await tx.query(`DELETE FROM ${table} WHERE query_date = $1`, ['2024-05-01']);
        await tx.query(`INSERT INTO ${table} VALUES ($1, $2)`, ['2024-05-01', 'x'.repeat(100)]);
      })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(StatementFailedError);
    expect((failure as Error).message).toContain('value too long');
    const sent = await statementsAfter(before);
    expect(sent.map((s) => [s.QueryString!.split(' ')[0], s.Status])).toEqual([
      ['BEGIN', 'FINISHED'],
      ['DELETE', 'FINISHED'],
      ['INSERT', 'FAILED'],
      ['ROLLBACK', 'FINISHED'],
    ]);
    expect(new Set(sent.map((s) => s.SessionId)).size).toBe(1);
    await expect(dw.query(`SELECT keyword FROM ${table}`)).resolves.toEqual([{ keyword: 'kept' }]);
  });

  it('runs a bulk load inside the transaction: staged in S3, its COPY in the session between the statements', async () => {
    const dw = warehouse();
    const table = await freshTable(dw, 'query_id VARCHAR(64), keyword VARCHAR(100)');
    const checkpoints = await freshTable(dw, 'segment INTEGER, page INTEGER');
    const before = await knownStatements();
    const loaded = await dw.transaction(async (tx) => {
      const count = await tx.copyIn(
        table,
        ['query_id', 'keyword'],
        [
          ['q1', 'flask'],
          ['q2', 'python'],
        ],
      );
      await tx.query(`INSERT INTO ${checkpoints} (segment, page) VALUES ($1, $2)`, [0, 1]);
      return count;
    });
    expect(loaded).toBe(2);
    const sent = await statementsAfter(before);
    expect(sent.map((s) => s.QueryString!.split(' ')[0])).toEqual(['BEGIN', 'COPY', 'INSERT', 'COMMIT']);
    expect(new Set(sent.map((s) => s.SessionId)).size).toBe(1);
    await expect(dw.query(`SELECT query_id, keyword FROM ${table} ORDER BY query_id`)).resolves.toEqual([
      { query_id: 'q1', keyword: 'flask' },
      { query_id: 'q2', keyword: 'python' },
    ]);
    expect(await stagedObjects()).toEqual([]);
  });

  it('rolls back when the work itself throws, and keeps the original error', async () => {
    const dw = warehouse();
    const table = await freshTable(dw, 'a INTEGER');
    const boom = new Error('work failed');
    await expect(
      dw.transaction(async (tx) => {
        await tx.query(`INSERT INTO ${table} VALUES (1)`);
        throw boom;
      }),
    ).rejects.toBe(boom);
    await expect(dw.query(`SELECT COUNT(*) AS n FROM ${table}`)).resolves.toEqual([{ n: 0 }]);
  });
});

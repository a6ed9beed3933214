import { randomBytes } from 'node:crypto';
import {
  DescribeStatementCommand,
  ListStatementsCommand,
  RedshiftDataClient,
  type StatementData,
} from '@aws-sdk/client-redshift-data';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { loadConfig, type RedshiftWarehouseConfig } from '../../../src/config/config';
import {
  ConfigError,
  MissingResourceError,
  ServiceUnavailableError,
  StatementFailedError,
  UserInputError,
} from '../../../src/errors';
import type { CopyValue, Warehouse } from '../../../src/adapters/warehouse/port';
import {
  createRedshiftDataWarehouse,
  redshiftDataWarehouse,
  type RedshiftDataWarehouseDeps,
} from '../../../src/adapters/warehouse/redshiftDataWarehouse';
import { freshDatabase, type TestDatabase } from '../../support/databases';
import { holdLock } from '../../stack/redshiftData/endpointHelpers';
import { startRedshiftStandIns, type RedshiftStandIns } from '../../support/redshiftStandIns';

/**
 * The Redshift Data API adapter against the local endpoint and s3rver, through the real SDK clients: every
 * statement runs on PostgreSQL behind the Redshift dialect gate, and every COPY reads what the adapter staged.
 */

const ROLE = 'arn:aws:iam::123456789012:role/redshift-copy';
const CLUSTER_CONFIG: RedshiftWarehouseConfig = {
  kind: 'redshift-data',
  clusterId: 'libreport-dw',
  database: 'dev',
  secretArn: 'arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:dw-AbCdEf',
  iamRole: ROLE,
  stagingBucket: 'libreport-staging',
  stagingPrefix: 'libreport/staging',
};

let db: TestDatabase;
let standIns: RedshiftStandIns;
let sleeps: number[];

beforeAll(async () => {
  db = await freshDatabase('rsadapter');
  // Two records per result page, so every multi-row result exercises NextToken.
  standIns = await startRedshiftStandIns(db.url, { buckets: ['libreport-staging'], pageRows: 2 });
});

afterAll(async () => {
  await standIns?.close();
  await db?.drop();
});

beforeEach(() => {
  sleeps = [];
});

function warehouse(overrides: Partial<RedshiftDataWarehouseDeps> = {}): Warehouse {
  return redshiftDataWarehouse({
    client: standIns.dataClient(),
    s3: standIns.s3Client(),
    config: CLUSTER_CONFIG,
    region: 'ap-northeast-2',
    // Records the waits the adapter asks for, waiting only briefly so the endpoint can progress.
    sleep: async (ms) => {
      sleeps.push(ms);
      await new Promise((resolve) => setTimeout(resolve, 2));
    },
    ...overrides,
  });
}

/** The statements the endpoint received since `since` (an id list), oldest first. */
async function statementsAfter(before: Set<string>): Promise<StatementData[]> {
  const listed = await standIns
    .dataClient()
    .send(new ListStatementsCommand({ MaxResults: 100, Status: 'ALL' }));
  return (listed.Statements ?? []).filter((s) => !before.has(s.Id!)).reverse();
}

async function knownStatements(): Promise<Set<string>> {
  return new Set((await statementsAfter(new Set())).map((s) => s.Id!));
}

async function stagedObjects(): Promise<string[]> {
  const listed = await standIns.s3Client().send(new ListObjectsV2Command({ Bucket: 'libreport-staging' }));
  return (listed.Contents ?? []).map((o) => o.Key!);
}

async function* rowsOf(rows: readonly (readonly CopyValue[])[]): AsyncGenerator<readonly CopyValue[]> {
  yield* rows;
}

let tables = 0;
/** A fresh table for one test, in the dialect the adapter's DDL uses. */
async function freshTable(dw: Warehouse, columns: string): Promise<string> {
  const name = `t${++tables}`;
  await dw.query(`CREATE TABLE ${name} (${columns})`);
  return name;
}

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
    const described = await standIns.dataClient().send(new DescribeStatementCommand({ Id: sent!.Id }));
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
    const lock = await holdLock(db.url, table);
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
    const lock = await holdLock(db.url, table);
    const before = await knownStatements();
    try {
      const failure = await dw.query(`SELECT * FROM ${table}`).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(ServiceUnavailableError);
      expect((failure as Error).message).toMatch(/was still (SUBMITTED|STARTED) after \ds .* it was cancelled/);
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

describe('redshiftDataWarehouse copyIn', () => {
  const tricky: CopyValue[][] = [
    ['plain', 1, true],
    ['comma, "quoted" and\nnewline', 2, false],
    ['emoji 📚 and 한국어 도서관', 3, null],
    ['', null, true],
    [null, 0, false],
    ['\\N', -1.5, null],
  ];
  const columns = ['keyword', 'position', 'failed'];
  const expected = tricky.map(([keyword, position, failed]) => ({ keyword, position, failed }));
  const trickyTable = (dw: Warehouse) =>
    freshTable(dw, 'keyword VARCHAR(200), position DOUBLE PRECISION, failed BOOLEAN');
  const readBack = (dw: Warehouse, table: string) =>
    dw
      .query(`SELECT keyword, position, failed FROM ${table} ORDER BY position DESC`)
      .then((rows) =>
        [...rows].sort(
          (a, b) =>
            expected.findIndex((e) => e.position === a.position) -
            expected.findIndex((e) => e.position === b.position),
        ),
      );

  it("keeps NULL and '' apart through S3 and COPY, for a plain array of rows as a scan page hands them over", async () => {
    const dw = warehouse();
    const table = await trickyTable(dw);
    await expect(dw.copyIn(table, columns, tricky)).resolves.toBe(tricky.length);
    expect(await readBack(dw, table)).toEqual(expected);
  });

  it('takes rows its encoder already turned into CSV, and a stream of encoded pages as one COPY', async () => {
    const dw = warehouse();
    const table = await trickyTable(dw);
    const encoded = dw.encoder();
    for (const row of tricky.slice(0, 2)) encoded.push(row);
    await expect(dw.copyIn(table, columns, encoded)).resolves.toBe(2);
    const pageOf = (rows: CopyValue[][]) => {
      const page = dw.encoder();
      for (const row of rows) page.push(row);
      return page;
    };
    async function* pages() {
      yield pageOf([]);
      yield pageOf(tricky.slice(2, 4));
      yield pageOf(tricky.slice(4));
    }
    const before = await knownStatements();
    await expect(dw.copyIn(table, columns, { encodedPages: pages() })).resolves.toBe(4);
    expect((await statementsAfter(before)).map((s) => s.QueryString!.split(' ')[0])).toEqual(['COPY']);
    expect(await readBack(dw, table)).toEqual(expected);
  });

  it('stages gzip CSV in S3, COPYs it with the role and options, then deletes the object', async () => {
    const dw = warehouse();
    const table = await trickyTable(dw);
    const before = await knownStatements();
    await expect(dw.copyIn(table, columns, rowsOf(tricky))).resolves.toBe(tricky.length);
    const [copy] = await statementsAfter(before);
    const lines = copy!.QueryString!.split('\n');
    expect(lines[1]).toMatch(
      new RegExp(`^FROM 's3://libreport-staging/libreport/staging/${table}/[0-9a-f-]{36}\\.csv\\.gz'$`),
    );
    expect([lines[0], ...lines.slice(2)]).toEqual([
      `COPY ${table} (keyword, position, failed)`,
      `IAM_ROLE '${ROLE}'`,
      "REGION 'ap-northeast-2'",
      'FORMAT AS CSV GZIP',
      "NULL AS '\\0'",
      "DATEFORMAT 'auto' TIMEFORMAT 'auto'",
      'COMPUPDATE OFF',
    ]);
    expect(copy!.Status).toBe('FINISHED');
    expect(await stagedObjects()).toEqual([]);
    expect(await readBack(dw, table)).toEqual(expected);
  });

  it('uses a multipart upload for a stream larger than one part, and COPY reads it whole', async () => {
    // Random base64 hardly compresses, so ~13 MiB of CSV stays above two 5 MiB parts after gzip.
    const rows: CopyValue[][] = Array.from({ length: 13 * 1024 }, (_, i) => [
      randomBytes(768).toString('base64'),
      i,
    ]);
    const dw = warehouse({ partBytes: 5 * 1024 * 1024 });
    const table = await freshTable(dw, 'isbn13 VARCHAR(1100), position INTEGER');
    await expect(dw.copyIn(table, ['isbn13', 'position'], rowsOf(rows))).resolves.toBe(rows.length);
    const [count] = await dw.query(`SELECT COUNT(*) AS n, SUM(position) AS total FROM ${table}`);
    expect(count).toEqual({ n: rows.length, total: (rows.length * (rows.length - 1)) / 2 });
    expect(await stagedObjects()).toEqual([]);
  });

  it('loads nothing and touches neither S3 nor Redshift for an empty stream or empty pages', async () => {
    const dw = warehouse();
    const before = await knownStatements();
    await expect(dw.copyIn('stage.isbn', ['isbn13'], rowsOf([]))).resolves.toBe(0);
    async function* pages() {
      yield dw.encoder();
    }
    await expect(dw.copyIn('stage.isbn', ['isbn13'], { encodedPages: pages() })).resolves.toBe(0);
    expect(await statementsAfter(before)).toEqual([]);
    expect(await stagedObjects()).toEqual([]);
  });

  it('deletes the staged object and raises StatementFailedError when COPY fails', async () => {
    const dw = warehouse();
    const table = await freshTable(dw, 'isbn13 VARCHAR(13)');
    await expect(dw.copyIn(table, ['isbn13'], rowsOf([['97889662622810000']]))).rejects.toThrow(
      /stl_load_errors.*String length exceeds DDL length/s,
    );
    expect(await stagedObjects()).toEqual([]);
  });

  it('refuses a NUL character without running COPY, aborting a started multipart upload', async () => {
    async function* rows(): AsyncGenerator<CopyValue[]> {
      for (let i = 0; i < 12 * 1024; i++) yield [randomBytes(768).toString('base64')];
      yield ['bad\u0000value'];
    }
    const before = await knownStatements();
    const failure = await warehouse({ partBytes: 5 * 1024 * 1024 })
      .copyIn('stage.keyword', ['keyword'], rows())
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(UserInputError);
    expect(await statementsAfter(before)).toEqual([]);
    expect(await stagedObjects()).toEqual([]);
  });

  it('does not COPY when the upload fails', async () => {
    const before = await knownStatements();
    const dw = warehouse({ config: { ...CLUSTER_CONFIG, stagingBucket: 'no-such-bucket' } });
    await expect(dw.copyIn('stage.isbn', ['isbn13'], rowsOf([['9788966262281']]))).rejects.toBeInstanceOf(
      MissingResourceError,
    );
    expect(await statementsAfter(before)).toEqual([]);
  });

  it('checks table and column names before staging anything', async () => {
    await expect(warehouse().copyIn('stage.isbn; DROP TABLE x', ['isbn13'], rowsOf([['1']]))).rejects.toThrow(
      /identifier/,
    );
    await expect(warehouse().copyIn('stage.isbn', ['isbn13"'], rowsOf([['1']]))).rejects.toThrow(
      /identifier/,
    );
    expect(await stagedObjects()).toEqual([]);
  });
});

describe('redshiftDataWarehouse configuration', () => {
  it.each([
    [{ iamRole: "arn:aws:iam::123456789012:role/x' CREDENTIALS 'y" }, /REDSHIFT_IAM_ROLE/],
    [{ stagingBucket: "bucket'name" }, /STAGING_S3_BUCKET/],
    [{ stagingPrefix: "stage'/x" }, /STAGING_S3_PREFIX/],
    [{ stagingPrefix: 'a/../b' }, /STAGING_S3_PREFIX/],
  ])('rejects staging settings that could break out of the COPY literals: %p', (override, message) => {
    expect(() => warehouse({ config: { ...CLUSTER_CONFIG, ...override } })).toThrow(ConfigError);
    expect(() => warehouse({ config: { ...CLUSTER_CONFIG, ...override } })).toThrow(message);
  });

  it('accepts the cluster default role and writes it unquoted', async () => {
    const dw = warehouse({ config: { ...CLUSTER_CONFIG, iamRole: 'default' } });
    const table = await freshTable(dw, 'isbn13 VARCHAR(13)');
    const before = await knownStatements();
    await dw.copyIn(table, ['isbn13'], rowsOf([['1']]));
    const [copy] = await statementsAfter(before);
    expect(copy!.QueryString).toContain('\nIAM_ROLE default\n');
    expect(copy!.Status).toBe('FINISHED');
  });
});

describe('createRedshiftDataWarehouse', () => {
  it('builds a redshift warehouse from the loaded config that reaches the configured endpoints', async () => {
    const dw = createRedshiftDataWarehouse(loadConfig({ LIBREPORT_ENV: 'local', ...standIns.env }));
    try {
      expect(dw.dialect).toBe('redshift');
      await expect(dw.query('SELECT CAST($1 AS INTEGER) + 1 AS n', [41])).resolves.toEqual([{ n: 42 }]);
    } finally {
      await dw.close();
    }
  });

  it('builds one for AWS without endpoints', async () => {
    const config = loadConfig({
      LIBREPORT_ENV: 'aws',
      REDSHIFT_WORKGROUP: 'libreport',
      REDSHIFT_IAM_ROLE: ROLE,
      STAGING_S3_BUCKET: 'libreport-staging',
    });
    expect(config.warehouse).not.toHaveProperty('endpoint', expect.any(String));
    const dw = createRedshiftDataWarehouse(config);
    expect(dw.dialect).toBe('redshift');
    await dw.close();
  });

  it('refuses a config whose warehouse is PostgreSQL', () => {
    expect(() => createRedshiftDataWarehouse(loadConfig({ LIBREPORT_ENV: 'local' }))).toThrow(ConfigError);
  });
});

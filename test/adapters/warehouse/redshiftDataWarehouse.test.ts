import { randomBytes } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { loadConfig, type RedshiftWarehouseConfig } from '../../../src/config/config';
import {
  ConfigError,
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
import { startFakeRedshiftData, type FakeRedshiftData } from '../../support/fakeRedshiftData';
import { startFakeS3, type FakeS3 } from '../../support/fakeS3';

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

let redshift: FakeRedshiftData;
let s3: FakeS3;
let sleeps: number[];

beforeEach(async () => {
  redshift = await startFakeRedshiftData();
  s3 = await startFakeS3();
  sleeps = [];
});

afterEach(async () => {
  await redshift.close();
  await s3.close();
});

function warehouse(overrides: Partial<RedshiftDataWarehouseDeps> = {}): Warehouse {
  return redshiftDataWarehouse({
    client: redshift.client(),
    s3: s3.client(),
    config: CLUSTER_CONFIG,
    region: 'ap-northeast-2',
    sleep: async (ms) => void sleeps.push(ms),
    ...overrides,
  });
}

async function* rowsOf(rows: readonly (readonly CopyValue[])[]): AsyncGenerator<readonly CopyValue[]> {
  yield* rows;
}

/** Reads our staged CSV back: quoted fields are text, a lone NUL is NULL, other bare fields are numbers/booleans. */
function parseStagedCsv(text: string): (string | null)[][] {
  const rows: (string | null)[][] = [];
  let row: (string | null)[] = [];
  let i = 0;
  while (i < text.length) {
    let value: string | null;
    if (text[i] === '"') {
      value = '';
      i++;
      for (;;) {
        if (text[i] === '"' && text[i + 1] === '"') {
          value += '"';
          i += 2;
        } else if (text[i] === '"') {
          i++;
          break;
        } else {
          value += text[i++];
        }
      }
    } else {
      let end = i;
      while (end < text.length && text[end] !== ',' && text[end] !== '\n') end++;
      const bare = text.slice(i, end);
      value = bare === '\u0000' ? null : bare;
      i = end;
    }
    row.push(value);
    if (text[i] === ',') {
      i++;
    } else {
      rows.push(row);
      row = [];
      i++;
    }
  }
  return rows;
}

describe('redshiftDataWarehouse query', () => {
  it('sends the SQL with named parameters to the configured cluster and converts the result set', async () => {
    redshift.script((sql) =>
      sql.startsWith('SELECT')
        ? {
            statuses: ['SUBMITTED', 'STARTED', 'FINISHED'],
            result: {
              columns: [
                { name: 'keyword', typeName: 'varchar' },
                { name: 'requests', typeName: 'int8' },
                { name: 'share', typeName: 'float8' },
                { name: 'failed', typeName: 'bool' },
              ],
              pages: [
                [
                  [
                    { stringValue: '파이썬' },
                    { longValue: 12 },
                    { doubleValue: 0.5 },
                    { booleanValue: false },
                  ],
                  [{ stringValue: '' }, { longValue: 3 }, { isNull: true }, { booleanValue: true }],
                ],
                [[{ isNull: true }, { longValue: 1 }, { doubleValue: 0.25 }, { isNull: true }]],
              ],
            },
          }
        : undefined,
    );
    const dw = warehouse();
    const rows = await dw.query(
      'SELECT keyword, requests, share, failed FROM mart.keywords WHERE day = $1 AND note = $2 AND tag = $3 AND n > $4',
      ['2024-05-01', null, '', 2],
    );

    expect(rows).toEqual([
      { keyword: '파이썬', requests: 12, share: 0.5, failed: false },
      { keyword: '', requests: 3, share: null, failed: true },
      { keyword: null, requests: 1, share: 0.25, failed: null },
    ]);
    const [statement] = redshift.statements;
    expect(statement!.request).toEqual({
      Sql: "SELECT keyword, requests, share, failed FROM mart.keywords WHERE day = :p1 AND note = NULL AND tag = '' AND n > :p4",
      ClientToken: expect.any(String),
      Parameters: [
        { name: 'p1', value: '2024-05-01' },
        { name: 'p4', value: '2' },
      ],
      ClusterIdentifier: 'libreport-dw',
      Database: 'dev',
      SecretArn: CLUSTER_CONFIG.secretArn,
    });
    expect(redshift.calls.map((c) => c.operation)).toEqual([
      'ExecuteStatement',
      'DescribeStatement',
      'DescribeStatement',
      'DescribeStatement',
      'GetStatementResult',
      'GetStatementResult',
    ]);
    expect(redshift.calls[5]!.body).toEqual({ Id: statement!.id, NextToken: 'page-1' });
    expect(sleeps).toEqual([50, 100]);
  });

  it('targets a serverless workgroup with a database user and returns no rows for statements without a result set', async () => {
    const dw = warehouse({
      config: {
        ...CLUSTER_CONFIG,
        clusterId: undefined,
        workgroup: 'libreport',
        secretArn: undefined,
        dbUser: 'loader',
      },
    });
    await expect(
      dw.query('DELETE FROM dw.search_keyword WHERE query_date = $1', ['2024-05-01']),
    ).resolves.toEqual([]);
    expect(redshift.statements[0]!.request).toEqual({
      Sql: 'DELETE FROM dw.search_keyword WHERE query_date = :p1',
      ClientToken: expect.any(String),
      Parameters: [{ name: 'p1', value: '2024-05-01' }],
      WorkgroupName: 'libreport',
      Database: 'dev',
      DbUser: 'loader',
    });
    expect(redshift.calls.some((c) => c.operation === 'GetStatementResult')).toBe(false);
  });

  it('backs off between polls up to the cap', async () => {
    redshift.script(() => ({
      statuses: ['SUBMITTED', 'PICKED', 'STARTED', 'STARTED', 'STARTED', 'STARTED', 'STARTED', 'FINISHED'],
    }));
    await warehouse({ maxPollIntervalMs: 400 }).query('VACUUM dw.search_keyword');
    expect(sleeps).toEqual([50, 100, 200, 400, 400, 400, 400]);
  });

  it.each([
    [
      'FAILED',
      'ERROR: relation "mart.nope" does not exist',
      /failed: ERROR: relation "mart.nope" does not exist/,
    ],
    ['ABORTED', 'Query was cancelled by the user', /was aborted: Query was cancelled by the user/],
  ] as const)(
    'turns a %s statement into StatementFailedError with the server message',
    async (status, error, message) => {
      redshift.script(() => ({ statuses: ['STARTED', status], error }));
      const failure = await warehouse()
        .query('SELECT * FROM mart.nope')
        .catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(StatementFailedError);
      expect((failure as Error).message).toMatch(message);
      expect((failure as Error).message).toContain(redshift.statements[0]!.id);
    },
  );

  it('cancels a statement that outlives the timeout and reports it as retryable', async () => {
    redshift.script(() => ({ statuses: ['STARTED'] }));
    const failure = await warehouse({ statementTimeoutMs: 1000 })
      .query('SELECT pg_sleep(1000)')
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ServiceUnavailableError);
    expect(redshift.calls.at(-1)).toEqual({
      operation: 'CancelStatement',
      body: { Id: redshift.statements[0]!.id },
    });
    expect(sleeps.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1000);
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
    redshift.script((sql) =>
      sql.startsWith('DELETE') ? { statuses: ['STARTED', 'STARTED', 'FINISHED'] } : undefined,
    );
    const dw = warehouse();
    const result = await dw.transaction(async (tx) => {
      await Promise.all([
        tx.query('DELETE FROM dw.search_keyword WHERE query_date = $1', ['2024-05-01']),
        tx.query('INSERT INTO dw.search_keyword SELECT * FROM stage.search_keyword WHERE query_date = $1', [
          '2024-05-01',
        ]),
      ]);
      return 'done';
    });

    expect(result).toBe('done');
    const [begin, ...rest] = redshift.statements;
    expect(begin!.request).toEqual({
      Sql: 'BEGIN',
      ClientToken: expect.any(String),
      ClusterIdentifier: 'libreport-dw',
      Database: 'dev',
      SecretArn: CLUSTER_CONFIG.secretArn,
      SessionKeepAliveSeconds: 600,
    });
    expect(begin!.sessionId).toBeDefined();
    expect(rest.map((s) => s.sql)).toEqual([
      'DELETE FROM dw.search_keyword WHERE query_date = :p1',
      'INSERT INTO dw.search_keyword SELECT * FROM stage.search_keyword WHERE query_date = :p1',
      'COMMIT',
    ]);
    for (const statement of rest) {
      expect(statement.sessionId).toBe(begin!.sessionId);
      expect(statement.request).not.toHaveProperty('ClusterIdentifier');
      expect(statement.request).not.toHaveProperty('Database');
    }
  });

  it('rolls back in the same session when a statement fails, and rethrows its error', async () => {
    redshift.script((sql) =>
      sql.startsWith('INSERT')
        ? { statuses: ['FAILED'], error: 'ERROR: value too long for type character varying(64)' }
        : undefined,
    );
    const dw = warehouse();
    const failure = await dw
      .transaction(async (tx) => {
        await tx.query('DELETE FROM dw.search_keyword WHERE query_date = $1', ['2024-05-01']);
        await tx.query('INSERT INTO dw.search_keyword VALUES ($1)', ['x'.repeat(100)]);
      })
      .catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(StatementFailedError);
    expect((failure as Error).message).toContain('value too long');
    const sessionId = redshift.statements[0]!.sessionId;
    expect(redshift.statements.map((s) => [s.sql.split(' ')[0], s.sessionId])).toEqual([
      ['BEGIN', sessionId],
      ['DELETE', sessionId],
      ['INSERT', sessionId],
      ['ROLLBACK', sessionId],
    ]);
  });

  it('runs a bulk load inside the transaction: staged in S3, its COPY in the session between the statements', async () => {
    const dw = warehouse();
    const loaded = await dw.transaction(async (tx) => {
      const count = await tx.copyIn(
        'stage.kw',
        ['query_id', 'keyword'],
        [
          ['q1', 'flask'],
          ['q2', 'python'],
        ],
      );
      await tx.query('INSERT INTO stage.ck (segment, page) VALUES ($1, $2)', [0, 1]);
      return count;
    });

    expect(loaded).toBe(2);
    const sessionId = redshift.statements[0]!.sessionId;
    expect(redshift.statements.map((s) => [s.sql.split(' ')[0], s.sessionId])).toEqual([
      ['BEGIN', sessionId],
      ['COPY', sessionId],
      ['INSERT', sessionId],
      ['COMMIT', sessionId],
    ]);
    const put = s3.requests.find((r) => r.operation === 'PutObject')!;
    expect(parseStagedCsv(gunzipSync(put.body).toString('utf8'))).toEqual([
      ['q1', 'flask'],
      ['q2', 'python'],
    ]);
  });

  it('rolls back when the work itself throws, and keeps the original error if ROLLBACK fails too', async () => {
    redshift.script((sql) =>
      sql === 'ROLLBACK' ? { statuses: ['FAILED'], error: 'session gone' } : undefined,
    );
    const boom = new Error('work failed');
    await expect(
      warehouse().transaction(async (tx) => {
        await tx.query('SELECT 1');
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(redshift.statements.map((s) => s.sql)).toEqual(['BEGIN', 'SELECT 1', 'ROLLBACK']);
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

  it('takes a plain array of rows, as a scan page hands them over', async () => {
    const dw = warehouse();
    await expect(dw.copyIn('stage.search_keyword', ['keyword', 'position', 'failed'], tricky)).resolves.toBe(
      tricky.length,
    );
    const put = s3.requests.find((r) => r.operation === 'PutObject')!;
    expect(parseStagedCsv(gunzipSync(put.body).toString('utf8'))).toEqual(
      tricky.map((row) => row.map((v) => (v === null ? null : String(v)))),
    );
  });

  it('takes rows its encoder already turned into CSV, as explode hands a scan page over', async () => {
    const dw = warehouse();
    const encoded = dw.encoder();
    for (const row of tricky) encoded.push(row);
    await expect(dw.copyIn('stage.search_keyword', ['keyword', 'position', 'failed'], encoded)).resolves.toBe(
      tricky.length,
    );
    const put = s3.requests.find((r) => r.operation === 'PutObject')!;
    expect(parseStagedCsv(gunzipSync(put.body).toString('utf8'))).toEqual(
      tricky.map((row) => row.map((v) => (v === null ? null : String(v)))),
    );
    expect(redshift.statements.map((s) => s.sql.split(' ')[0])).toEqual(['COPY']);
  });

  it('takes a stream of encoded pages as one staged object and one COPY', async () => {
    const dw = warehouse();
    const pageOf = (rows: CopyValue[][]) => {
      const encoded = dw.encoder();
      for (const row of rows) encoded.push(row);
      return encoded;
    };
    async function* pages() {
      yield pageOf([]);
      yield pageOf(tricky.slice(0, 3));
      yield pageOf(tricky.slice(3));
    }
    await expect(
      dw.copyIn('stage.search_keyword', ['keyword', 'position', 'failed'], { encodedPages: pages() }),
    ).resolves.toBe(tricky.length);
    const put = s3.requests.find((r) => r.operation === 'PutObject')!;
    expect(parseStagedCsv(gunzipSync(put.body).toString('utf8'))).toEqual(
      tricky.map((row) => row.map((v) => (v === null ? null : String(v)))),
    );
    expect(redshift.statements.map((s) => s.sql.split(' ')[0])).toEqual(['COPY']);
  });

  it('loads nothing for a stream of empty encoded pages', async () => {
    const dw = warehouse();
    async function* pages() {
      yield dw.encoder();
    }
    await expect(dw.copyIn('stage.isbn', ['isbn13'], { encodedPages: pages() })).resolves.toBe(0);
    expect(s3.requests).toEqual([]);
    expect(redshift.calls).toEqual([]);
  });

  it('stages gzip CSV in S3, COPYs it with the role and options, then deletes the object', async () => {
    const dw = warehouse();
    const count = await dw.copyIn('stage.search_keyword', ['keyword', 'position', 'failed'], rowsOf(tricky));
    expect(count).toBe(tricky.length);

    const put = s3.requests.find((r) => r.operation === 'PutObject')!;
    expect(put.bucket).toBe('libreport-staging');
    expect(put.key).toMatch(/^libreport\/staging\/stage\.search_keyword\/[0-9a-f-]{36}\.csv\.gz$/);
    const csv = gunzipSync(put.body).toString('utf8');
    expect(csv.split('\n')[0]).toBe('"plain",1,true');
    expect(csv).toContain('\n"",\u0000,true\n');
    expect(parseStagedCsv(csv)).toEqual(tricky.map((row) => row.map((v) => (v === null ? null : String(v)))));

    expect(redshift.statements.map((s) => s.sql)).toEqual([
      [
        'COPY stage.search_keyword (keyword, position, failed)',
        `FROM 's3://libreport-staging/${put.key}'`,
        `IAM_ROLE '${ROLE}'`,
        "REGION 'ap-northeast-2'",
        'FORMAT AS CSV GZIP',
        "NULL AS '\\0'",
        "DATEFORMAT 'auto' TIMEFORMAT 'auto'",
        'COMPUPDATE OFF',
      ].join('\n'),
    ]);
    expect(redshift.statements[0]!.sql).not.toMatch(
      /EMPTYASNULL|BLANKSASNULL|ACCEPTINVCHARS|TRUNCATECOLUMNS/,
    );
    expect(s3.requests.map((r) => `${r.operation} ${r.key}`)).toEqual([
      `PutObject ${put.key}`,
      `DeleteObject ${put.key}`,
    ]);
    expect(s3.objects.size).toBe(0);
  });

  it('uses a multipart upload for a stream larger than one part, holding one part at a time', async () => {
    // Random base64 hardly compresses, so ~13 MiB of CSV stays above two 5 MiB parts after gzip.
    const rows: CopyValue[][] = Array.from({ length: 13 * 1024 }, (_, i) => [
      randomBytes(768).toString('base64'),
      i,
    ]);
    const dw = warehouse({ partBytes: 5 * 1024 * 1024 });
    await expect(dw.copyIn('stage.isbn', ['isbn13', 'position'], rowsOf(rows))).resolves.toBe(rows.length);

    const operations = s3.requests.map((r) => r.operation);
    expect(operations[0]).toBe('CreateMultipartUpload');
    expect(operations.filter((o) => o === 'UploadPart').length).toBeGreaterThanOrEqual(2);
    expect(operations).not.toContain('PutObject');
    expect(operations.slice(-2)).toEqual(['CompleteMultipartUpload', 'DeleteObject']);
    for (const part of s3.requests.filter((r) => r.operation === 'UploadPart').slice(0, -1)) {
      expect(part.body.length).toBeGreaterThanOrEqual(5 * 1024 * 1024);
      expect(part.body.length).toBeLessThan(6 * 1024 * 1024);
    }
    const key = s3.requests[0]!.key;
    const csv = gunzipSync(s3.written.get(`libreport-staging/${key}`)!).toString('utf8');
    expect(parseStagedCsv(csv)).toEqual(rows.map((row) => row.map(String)));
    expect(redshift.statements[0]!.sql).toContain(`FROM 's3://libreport-staging/${key}'`);
  });

  it('loads nothing and touches neither S3 nor Redshift for an empty stream', async () => {
    await expect(warehouse().copyIn('stage.isbn', ['isbn13'], rowsOf([]))).resolves.toBe(0);
    expect(s3.requests).toEqual([]);
    expect(redshift.calls).toEqual([]);
  });

  it('deletes the staged object and raises StatementFailedError when COPY fails', async () => {
    redshift.script(() => ({
      statuses: ['FAILED'],
      error: "Load into table 'isbn' failed. Check 'stl_load_errors' system table for details.",
    }));
    await expect(warehouse().copyIn('stage.isbn', ['isbn13'], rowsOf([['9788966262281']]))).rejects.toThrow(
      /stl_load_errors/,
    );
    expect(s3.requests.map((r) => r.operation)).toEqual(['PutObject', 'DeleteObject']);
  });

  it('refuses a NUL character without running COPY, aborting a started multipart upload', async () => {
    async function* rows(): AsyncGenerator<CopyValue[]> {
      for (let i = 0; i < 12 * 1024; i++) yield [randomBytes(768).toString('base64')];
      yield ['bad\u0000value'];
    }
    const failure = await warehouse({ partBytes: 5 * 1024 * 1024 })
      .copyIn('stage.keyword', ['keyword'], rows())
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(UserInputError);
    const operations = s3.requests.map((r) => r.operation);
    expect(operations).toContain('UploadPart');
    expect(operations.at(-1)).toBe('AbortMultipartUpload');
    expect(operations).not.toContain('CompleteMultipartUpload');
    expect(redshift.calls).toEqual([]);
  });

  it('does not COPY when the upload fails', async () => {
    s3.failNext('PutObject');
    await expect(warehouse().copyIn('stage.isbn', ['isbn13'], rowsOf([['9788966262281']]))).rejects.toThrow();
    expect(redshift.calls).toEqual([]);
  });

  it('checks table and column names before staging anything', async () => {
    await expect(warehouse().copyIn('stage.isbn; DROP TABLE x', ['isbn13'], rowsOf([['1']]))).rejects.toThrow(
      /identifier/,
    );
    await expect(warehouse().copyIn('stage.isbn', ['isbn13"'], rowsOf([['1']]))).rejects.toThrow(
      /identifier/,
    );
    expect(s3.requests).toEqual([]);
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
    await warehouse({ config: { ...CLUSTER_CONFIG, iamRole: 'default' } }).copyIn(
      'stage.isbn',
      ['isbn13'],
      rowsOf([['1']]),
    );
    expect(redshift.statements[0]!.sql).toContain('\nIAM_ROLE default\n');
  });
});

describe('createRedshiftDataWarehouse', () => {
  it('builds a redshift warehouse from the loaded config', async () => {
    const config = loadConfig({
      LIBREPORT_ENV: 'aws',
      REDSHIFT_WORKGROUP: 'libreport',
      REDSHIFT_IAM_ROLE: ROLE,
      STAGING_S3_BUCKET: 'libreport-staging',
    });
    const dw = createRedshiftDataWarehouse(config);
    expect(dw.dialect).toBe('redshift');
    await dw.close();
  });

  it('refuses a config whose warehouse is PostgreSQL', () => {
    expect(() => createRedshiftDataWarehouse(loadConfig({ LIBREPORT_ENV: 'local' }))).toThrow(ConfigError);
  });
});

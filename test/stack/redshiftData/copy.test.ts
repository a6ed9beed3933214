import { gzipSync } from 'node:zlib';
import { GetStatementResultCommand, type RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { freshDatabase, type TestDatabase } from '../../support/databases';
import { startRedshiftStandIns, type RedshiftStandIns } from '../../support/redshiftStandIns';
import { run } from './endpointHelpers';

let db: TestDatabase;
let standIns: RedshiftStandIns;
let client: RedshiftDataClient;
let s3: S3Client;
let table = 0;

const ROLE = "IAM_ROLE 'arn:aws:iam::123456789012:role/copy'";

beforeAll(async () => {
  db = await freshDatabase('rscopy');
  standIns = await startRedshiftStandIns(db.url);
  client = standIns.dataClient();
  s3 = standIns.s3Client();
});

afterAll(async () => {
  await standIns?.close();
  await db?.drop();
});

async function put(key: string, body: string | Buffer): Promise<void> {
  await s3.send(new PutObjectCommand({ Bucket: standIns.stagingBucket, Key: key, Body: body }));
}

/** A fresh table `c<n> (s VARCHAR(8), n INTEGER, d DATE)`. */
async function freshTable(): Promise<string> {
  const name = `c${++table}`;
  expect((await run(client, `CREATE TABLE ${name} (s VARCHAR(8), n INTEGER, d DATE)`)).Status).toBe(
    'FINISHED',
  );
  return name;
}

async function rows(name: string): Promise<unknown[][]> {
  const described = await run(client, `SELECT s, n, CAST(d AS VARCHAR) AS d FROM ${name} ORDER BY n`);
  const result = await client.send(new GetStatementResultCommand({ Id: described.Id }));
  return (result.Records ?? []).map((record) =>
    record.map((f) => (f.isNull ? null : (f.stringValue ?? f.longValue ?? null))),
  );
}

describe("COPY FROM 's3://…' on the local endpoint", () => {
  it("loads an empty unquoted VARCHAR field as '' (Redshift), not NULL (PostgreSQL); empty non-character fields as NULL", async () => {
    const name = await freshTable();
    await put(`${name}/part`, 'a,1,2024-05-01\n,2,\n"",3,2024-05-02\n\\N,4,\n');
    const copied = await run(
      client,
      `COPY ${name} FROM 's3://${standIns.stagingBucket}/${name}/part' ${ROLE} CSV`,
    );
    expect(copied).toMatchObject({ Status: 'FINISHED', ResultRows: 4 });
    expect(await rows(name)).toEqual([
      ['a', 1, '2024-05-01'],
      ['', 2, null],
      ['', 3, '2024-05-02'],
      [null, 4, null],
    ]);
  });

  it("loads empty fields as NULL with EMPTYASNULL, blank ones with BLANKSASNULL, and NUL fields as NULL with NULL AS '\\0'", async () => {
    const name = await freshTable();
    await put(`${name}/part.gz`, gzipSync(',1,\n"  ",2,\n\u0000,3,\n'));
    const copied = await run(
      client,
      `COPY ${name} (s, n, d) FROM 's3://${standIns.stagingBucket}/${name}/part' ${ROLE} FORMAT AS CSV GZIP EMPTYASNULL BLANKSASNULL NULL AS '\\0'`,
    );
    expect(copied.Status).toBe('FINISHED');
    expect(await rows(name)).toEqual([
      [null, 1, null],
      [null, 2, null],
      [null, 3, null],
    ]);
  });

  it('reads every object under the prefix, in key order, skipping IGNOREHEADER lines of each', async () => {
    const name = await freshTable();
    await put(`${name}/a.csv`, 's,n,d\nx,1,\n');
    await put(`${name}/b.csv`, 's,n,d\ny,2,\n');
    await put(`${name}_other/c.csv`, 's,n,d\nz,3,\n');
    const copied = await run(
      client,
      `COPY ${name} FROM 's3://${standIns.stagingBucket}/${name}/' ${ROLE} CSV IGNOREHEADER 1`,
    );
    expect(copied.Status).toBe('FINISHED');
    expect(await rows(name)).toEqual([
      ['x', 1, null],
      ['y', 2, null],
    ]);
  });

  it('counts VARCHAR lengths in bytes, as Redshift does', async () => {
    const name = await freshTable();
    await put(`${name}/part`, '도서관,1,\n');
    const copied = await run(
      client,
      `COPY ${name} FROM 's3://${standIns.stagingBucket}/${name}/part' ${ROLE} CSV`,
    );
    expect(copied.Status).toBe('FAILED');
    expect(copied.Error).toMatch(
      /Load into table 'c\d+' failed.*String length exceeds DDL length.*9 bytes for VARCHAR\(8\)/s,
    );
  });

  it('fails the whole load on a bad row, loading nothing', async () => {
    const name = await freshTable();
    await put(`${name}/part`, 'a,1,\nb,2,,extra\n');
    const copied = await run(
      client,
      `COPY ${name} FROM 's3://${standIns.stagingBucket}/${name}/part' ${ROLE} CSV`,
    );
    expect(copied.Error).toMatch(/line 2: Extra column\(s\) found/);
    expect(await rows(name)).toEqual([]);
  });

  it('fails when nothing is under the prefix, or the bucket does not exist', async () => {
    const name = await freshTable();
    const none = await run(
      client,
      `COPY ${name} FROM 's3://${standIns.stagingBucket}/nothing/here' ${ROLE} CSV`,
    );
    expect(none.Error).toMatch(/The specified S3 prefix 'nothing\/here' does not exist/);
    const bucket = await run(client, `COPY ${name} FROM 's3://no-such-bucket/x' ${ROLE} CSV`);
    expect(bucket.Error).toMatch(/S3ServiceException/);
  });

  it('loads the files a manifest lists', async () => {
    const name = await freshTable();
    await put(`${name}/one`, 'm,1,\n');
    const bucket = standIns.stagingBucket;
    await put(
      `${name}/manifest`,
      JSON.stringify({ entries: [{ url: `s3://${bucket}/${name}/one`, mandatory: true }] }),
    );
    const copied = await run(
      client,
      `COPY ${name} FROM 's3://${bucket}/${name}/manifest' ${ROLE} CSV MANIFEST`,
    );
    expect(copied.Status).toBe('FINISHED');
    expect(await rows(name)).toEqual([['m', 1, null]]);
  });

  it('fails statements with options it does not implement, naming the option', async () => {
    const name = await freshTable();
    const copied = await run(
      client,
      `COPY ${name} FROM 's3://${standIns.stagingBucket}/${name}/' ${ROLE} CSV ACCEPTINVCHARS`,
    );
    expect(copied).toMatchObject({ Status: 'FAILED' });
    expect(copied.Error).toBe(
      'ERROR: COPY option ACCEPTINVCHARS is not implemented by the local Redshift stand-in',
    );
  });
});

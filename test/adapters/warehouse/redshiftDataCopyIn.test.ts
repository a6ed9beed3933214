import { randomBytes } from 'node:crypto';
import { MissingResourceError, UserInputError } from '../../../src/errors';
import type { CopyValue, Warehouse } from '../../../src/adapters/warehouse/port';
import { CLUSTER_CONFIG, ROLE, rowsOf, useRedshiftDataAdapter } from './redshiftDataHarness';

/** The redshift-data adapter's bulk load: rows staged as gzip CSV in s3rver, then COPY. */
const rs = useRedshiftDataAdapter('rscopyin');
const { warehouse, statementsAfter, knownStatements, stagedObjects, freshTable } = rs;

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

import { DialectError, NotImplementedError } from '../../../src/stack/redshiftData/errors';
import { gateStatement } from '../../../src/stack/redshiftData/gate/dialectGate';
import { bindParameters } from '../../../src/stack/redshiftData/gate/parameters';
import { loadSqlParser } from '../../../src/stack/redshiftData/gate/tokens';
import { martSchemaStatements, MART_TABLES } from '../../../src/activities/sql/mart';
import { createStagingTables, stagingTables } from '../../../src/activities/sql/staging';
import { warehouseSchemaStatements } from '../../../src/activities/warehouseSchema';
import { adapterStatements, asSent } from './adapterStatements';

beforeAll(() => loadSqlParser());

/** The gate's verdict on one statement: its message when refused. */
function refusal(sql: string): string {
  try {
    gateStatement(sql);
  } catch (error) {
    expect(error).toBeInstanceOf(DialectError);
    return (error as Error).message;
  }
  throw new Error(`the gate accepted: ${sql}`);
}

describe('the Redshift dialect gate refuses what Redshift does not run, naming the construct', () => {
  it.each([
    [
      'declarative partitioning',
      'CREATE TABLE p (d DATE) PARTITION BY LIST (d)',
      /partitioning \(PARTITION BY\)/,
    ],
    ['partitions', 'CREATE TABLE p1 PARTITION OF p FOR VALUES IN (1)', /PARTITION OF/],
    [
      'attaching partitions',
      "ALTER TABLE p ATTACH PARTITION p1 FOR VALUES IN ('2024-01-01')",
      /ATTACH\/DETACH PARTITION/,
    ],
    ['ON CONFLICT', 'INSERT INTO t (a) VALUES (1) ON CONFLICT DO NOTHING', /ON CONFLICT/],
    ['UNLOGGED', 'CREATE UNLOGGED TABLE u (a INTEGER)', /UNLOGGED/],
    ['RETURNING', 'DELETE FROM t WHERE a = 1 RETURNING a', /RETURNING/],
    ['RETURNING on INSERT', 'INSERT INTO t (a) VALUES (1) RETURNING a', /RETURNING/],
    ['COPY FROM STDIN', 'COPY t (a) FROM STDIN', /COPY FROM STDIN/],
    ['advisory locks', 'SELECT pg_advisory_xact_lock(42)', /pg_advisory_xact_lock.*advisory locks/],
    ['row locks', 'SELECT a FROM t FOR UPDATE', /FOR UPDATE/],
    ['FOR SHARE', 'SELECT a FROM t FOR SHARE', /FOR UPDATE\/SHARE/],
    ['array types', 'CREATE TABLE a (tags VARCHAR(10)[])', /array types/],
    ['array casts', 'SELECT CAST(x AS INTEGER[]) FROM t', /array types/],
    ['ARRAY[] constructors', 'SELECT ARRAY[1, 2]', /ARRAY\[\]/],
    ['JSONB', 'CREATE TABLE j (doc JSONB)', /JSONB/],
    ['JSON', 'SELECT CAST(x AS JSON) FROM t', /JSON \(use SUPER\)/],
    ['DISTINCT ON', 'SELECT DISTINCT ON (a) a, b FROM t', /DISTINCT ON/],
    ['LATERAL', 'SELECT * FROM t, LATERAL (SELECT a) s', /LATERAL/],
    ['aggregate FILTER', 'SELECT COUNT(*) FILTER (WHERE a > 1) FROM t', /FILTER/],
    ['IS DISTINCT FROM', 'SELECT a FROM t WHERE a IS DISTINCT FROM 1', /IS DISTINCT FROM/],
    ['IS NOT DISTINCT FROM', 'SELECT a FROM t WHERE a IS NOT DISTINCT FROM 1', /IS DISTINCT FROM/],
    ['SAVEPOINT', 'SAVEPOINT s1', /SAVEPOINT/],
    ['ROLLBACK TO SAVEPOINT', 'ROLLBACK TO SAVEPOINT s1', /ROLLBACK TO SAVEPOINT/],
    ['RELEASE SAVEPOINT', 'RELEASE SAVEPOINT s1', /RELEASE SAVEPOINT/],
    [
      'functions outside the documented list',
      "SELECT string_agg(a, ',') FROM t",
      /string_agg is not in Amazon Redshift's documented function list/,
    ],
    ['generate_series', 'SELECT generate_series(1, 3)', /generate_series.*set-returning/],
    ['table functions', 'SELECT * FROM unnest(x)', /functions in FROM/],
    ['now()', 'SELECT now()', /function now/],
    ['CURRENT_TIMESTAMP', 'SELECT CURRENT_TIMESTAMP', /deprecated leader-node-only/],
    ['LOCK with a mode', 'LOCK TABLE t IN SHARE ROW EXCLUSIVE MODE', /LOCK … IN <mode> MODE/],
    ['ON COMMIT DROP', 'CREATE TEMP TABLE x ON COMMIT DROP AS SELECT 1 AS a', /ON COMMIT/],
    ['CHECK constraints', 'CREATE TABLE c (a INTEGER, CHECK (a > 0))', /CHECK constraints/],
    ['indexes', 'CREATE INDEX i ON t (a)', /CREATE INDEX/],
    ['sequences', 'CREATE SEQUENCE s', /CREATE SEQUENCE/],
    ['SERIAL', 'CREATE TABLE s (id SERIAL)', /SERIAL/],
    ['UUID', 'CREATE TABLE s (id UUID)', /UUID/],
    ['BYTEA', 'CREATE TABLE s (b BYTEA)', /BYTEA/],
    ['SET SCHEMA', 'ALTER TABLE dw_stage.x SET SCHEMA dw', /SET SCHEMA/],
    ['VALUES as a table', 'SELECT * FROM (VALUES (1), (2)) v (a)', /VALUES lists used as a table/],
    [
      'RANGE window frames',
      'SELECT SUM(a) OVER (ORDER BY a RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) FROM t',
      /ROWS only/,
    ],
    ['two statements', 'SELECT 1; SELECT 2', /one SQL statement/],
    ['leader-node functions on tables', 'SELECT current_schema(), a FROM t', /leader node only/],
    ['compute-node functions without a table', 'SELECT MEDIAN(1)', /at least one user created table/],
    ['syntax errors', 'SELEC 1', /syntax error at or near "SELEC"/],
  ])('%s', (_what, sql, message) => {
    expect(refusal(sql)).toMatch(message);
  });

  it.each([
    [
      'a COPY option it does not implement',
      "COPY t FROM 's3://bucket/key' IAM_ROLE default CSV MAXERROR 10",
      /COPY option MAXERROR is not implemented/,
    ],
    ['pipe-delimited text', "COPY t FROM 's3://bucket/key' IAM_ROLE default", /pipe-delimited text/],
    [
      'JSON loads',
      "COPY t FROM 's3://bucket/key' IAM_ROLE default FORMAT AS JSON 'auto'",
      /COPY FORMAT JSON/,
    ],
    ['ALTER TABLE APPEND', 'ALTER TABLE dw.t APPEND FROM dw_stage.t', /APPEND FROM is not implemented/],
  ])('marks %s as not implemented by the stand-in', (_what, sql, message) => {
    expect(() => gateStatement(sql)).toThrow(NotImplementedError);
    expect(refusal(sql)).toMatch(message);
  });

  it('refuses a COPY option Redshift does not have, and a COPY from a file', () => {
    expect(refusal("COPY t FROM 's3://bucket/key' IAM_ROLE default CSV HEADER")).toMatch(
      /HEADER is not a Redshift COPY option/,
    );
    expect(refusal("COPY t FROM '/tmp/rows.csv' CSV")).toMatch(/not from '\/tmp\/rows.csv'/);
  });
});

describe('Redshift-only syntax the adapter may use is recognised', () => {
  it('takes DISTSTYLE, DISTKEY, SORTKEY and ENCODE out of CREATE TABLE and checks them', () => {
    const gated = gateStatement(
      `CREATE TABLE dw.search_keyword (query_id VARCHAR(64) NOT NULL ENCODE zstd, query_date DATE NOT NULL ENCODE az64,
         keyword VARCHAR(1000)) DISTSTYLE KEY DISTKEY (query_id) COMPOUND SORTKEY (query_date, query_id)`,
    );
    expect(gated).toMatchObject({
      kind: 'sql',
      statement: 'CreateStmt',
      attributes: { distStyle: 'KEY', distKey: 'query_id', sortKey: ['query_date', 'query_id'] },
    });
    expect(gated.kind === 'sql' && gated.sql).not.toMatch(/DISTKEY|SORTKEY|ENCODE|DISTSTYLE/);
    expect(refusal('CREATE TABLE x (a INTEGER) DISTKEY (b)')).toMatch(/column "b"/);
    expect(refusal('CREATE TABLE x (a INTEGER ENCODE gzip)')).toMatch(/encoding gzip/);
    expect(refusal('CREATE TABLE x (a INTEGER) DISTSTYLE KEY')).toMatch(/DISTKEY column/);
    expect(refusal('CREATE TABLE x (a INTEGER) DISTSTYLE ALL DISTKEY (a)')).toMatch(/DISTSTYLE ALL/);
  });

  it('lets leader-node functions read the catalog, and compute-node functions read tables (CTEs are not tables)', () => {
    expect(() => gateStatement('SELECT current_schema(), relname FROM pg_catalog.pg_class')).not.toThrow();
    expect(() => gateStatement('SELECT MEDIAN(a) FROM dw.t')).not.toThrow();
    expect(refusal('WITH x AS (SELECT 1 AS a) SELECT MEDIAN(a) FROM x')).toMatch(/user created table/);
  });

  it('parses COPY from S3 with the options the adapter sends', () => {
    const gated = gateStatement(
      "COPY dw_stage.kw_x (query_id, position, keyword)\nFROM 's3://libreport-staging/p/kw/1.csv.gz'\nIAM_ROLE 'arn:aws:iam::123456789012:role/copy'\nREGION 'ap-northeast-2'\nFORMAT AS CSV GZIP\nNULL AS '\\0'\nDATEFORMAT 'auto' TIMEFORMAT 'auto'\nCOMPUPDATE OFF",
    );
    expect(gated).toEqual({
      kind: 'copy',
      copy: expect.objectContaining({
        table: 'dw_stage.kw_x',
        columns: ['query_id', 'position', 'keyword'],
        bucket: 'libreport-staging',
        key: 'p/kw/1.csv.gz',
        gzip: true,
        delimiter: ',',
        nullAs: '\u0000',
        emptyAsNull: false,
      }),
    });
  });
});

describe('the warehouse tables carry their Redshift layout', () => {
  /** What the gate read from each CREATE TABLE of the schema, by table. */
  function layouts(statements: readonly string[]): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const sql of statements) {
      const table = /^\s*CREATE TABLE (?:IF NOT EXISTS )?(\S+)/i.exec(sql)?.[1];
      const gated = gateStatement(sql);
      if (table && gated.kind === 'sql') out[table] = gated.attributes;
    }
    return out;
  }

  it('distributes the searches and choices on query_id, sorts them by day, and copies small tables to every node', () => {
    const dw = layouts(warehouseSchemaStatements('redshift'));
    for (const table of ['search_query', 'search_keyword', 'search_library', 'search_isbn13']) {
      expect(dw[`dw.${table}`]).toEqual({ distStyle: 'KEY', distKey: 'query_id', sortKey: ['query_date'] });
    }
    expect(dw['dw.user_choice']).toEqual({ distStyle: 'KEY', distKey: 'query_id', sortKey: ['choice_date'] });
    expect(dw['dw.book_info']).toEqual({ distStyle: 'ALL', sortKey: ['isbn13'] });
    expect(dw['dw.load_audit']).toMatchObject({ distStyle: 'ALL' });
    const marts = Object.values(layouts(martSchemaStatements('redshift')));
    expect(marts.length).toBeGreaterThanOrEqual(MART_TABLES.length);
    for (const layout of marts) expect(layout).toEqual({ distStyle: 'ALL', sortKey: ['report_date'] });
    // A run's staging tables are distributed like their targets, so the load's INSERT … SELECT stays on each slice.
    const staged = layouts(createStagingTables(stagingTables('r20240516_abcdef123456'), 'redshift'));
    expect(
      Object.values(staged).filter((a) => (a as { distKey?: string }).distKey === 'query_id'),
    ).toHaveLength(5);
    // PostgreSQL gets the DDL without any of it.
    expect(warehouseSchemaStatements('postgres').join('\n')).not.toMatch(/DISTKEY|DISTSTYLE|SORTKEY/);
  });
});

describe('every statement libreport sends to the redshift-data warehouse passes the gate', () => {
  it.each(adapterStatements())('%s: %s', (_what, sql) => {
    const sent = asSent(sql);
    const bound = bindParameters(sent.sql, sent.parameters);
    expect(() => gateStatement(bound.sql)).not.toThrow();
  });
});

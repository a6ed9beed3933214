import {
  bindNamed,
  MART_REFRESH,
  MART_SCHEMA_DDL,
  MART_TABLES,
  MART_TOP_ROWS,
  refreshStatements,
  viaTempTable,
} from '../../../src/activities/sql/mart';
import { splitStatements } from '../../../src/activities/sql/statements';
import * as martSql from '../../../src/activities/sql/mart';
import { toNamedParameters } from '../../../src/adapters/warehouse/redshiftParameters';
import { DAY, NEXT_DAY } from '../martFixture';
/** The mart's SQL as data: its files, its dialect subset, its PostgreSQL and Redshift renderings. */

const SEOUL = 'Asia/Seoul';

describe('mart SQL', () => {
  const readQueries = Object.entries(martSql)
    .filter(([name, value]) => name.startsWith('read') && typeof value === 'string')
    .map(([, value]) => value as string);
  const values = { report_date: DAY, next_date: NEXT_DAY, top_rows: MART_TOP_ROWS, time_zone: SEOUL };
  const refresh = refreshStatements(values, 'redshift').flatMap((t) => t.statements);

  it('has one file per mart table, each a DELETE of the day then an INSERT of it', () => {
    for (const table of MART_TABLES) {
      const [del, insert, ...rest] = MART_REFRESH[table];
      expect(rest).toEqual([]);
      expect(del).toMatch(new RegExp(`^DELETE FROM mart\\.${table} WHERE report_date = :report_date$`));
      expect(insert).toMatch(new RegExp(`^INSERT INTO mart\\.${table}\\s`));
      expect(insert).toMatch(/= :report_date/);
    }
  });

  it('stays in the subset PostgreSQL and Redshift share', () => {
    const all = [...MART_SCHEMA_DDL, ...refresh.map((s) => s.sql), ...readQueries];
    expect(readQueries.length).toBeGreaterThanOrEqual(8);
    for (const sql of all) {
      expect(sql).not.toMatch(
        /::|\bFILTER\s*\(|DISTINCT\s+ON|generate_series|ON\s+CONFLICT|string_agg|listagg|json|CONVERT_TIMEZONE/i,
      );
      expect(sql).not.toMatch(/:[a-z_]/);
    }
  });

  it('on PostgreSQL aggregates each table into a temporary table first, so parallel workers can help', () => {
    const postgres = refreshStatements(values, 'postgres');
    const redshift = refreshStatements(values, 'redshift');
    for (const [i, { table, statements }] of postgres.entries()) {
      const [del, insert] = redshift[i]!.statements;
      const select = insert!.sql.slice(insert!.sql.search(/\sSELECT\s/) + 1);
      const columns = /^INSERT INTO \S+\s+(\([^)]*\))/.exec(insert!.sql)![1];
      expect(statements.map((s) => s.sql)).toEqual([
        del!.sql,
        `CREATE TEMP TABLE mart_refresh_${table} ON COMMIT DROP AS\n${select}`,
        `INSERT INTO mart.${table} ${columns} SELECT * FROM mart_refresh_${table}`,
      ]);
      expect(statements.map((s) => s.params)).toEqual([del!.params, insert!.params, []]);
    }
    expect(() =>
      viaTempTable('daily_headline', 'INSERT INTO mart.keyword_ranking (keyword) SELECT 1'),
    ).toThrow(/daily_headline/);
    expect(() => viaTempTable('daily_headline', 'INSERT INTO mart.daily_headline VALUES (1)')).toThrow(
      /daily_headline/,
    );
  });

  it('renders for the Redshift Data API with every value as a named parameter', () => {
    for (const statement of refresh) {
      const named = toNamedParameters(statement.sql, statement.params);
      expect(named.sql).not.toMatch(/\$\d/);
      expect(named.parameters.map((p) => p.value)).toEqual(statement.params.map(String));
    }
    const hourly = refresh.find((s) => s.sql.includes('INSERT INTO mart.hourly_requests'))!;
    expect(toNamedParameters(hourly.sql, hourly.params).sql).toMatch(/AT TIME ZONE CAST\(:p\d AS VARCHAR\)/);
  });
});

describe('bindNamed and splitStatements', () => {
  it('numbers names by first use, reuses a number for a repeated name, and leaves quoted text alone', () => {
    expect(bindNamed("SELECT :b, ':a', :a, :b, x::int", { a: 1, b: 'two' })).toEqual({
      sql: "SELECT $1, ':a', $2, $1, x::int",
      params: ['two', 1],
    });
  });

  it('refuses a name without a value', () => {
    expect(() => bindNamed('SELECT :missing', {})).toThrow(/:missing/);
  });

  it('splits on semicolons at line ends and drops comment lines', () => {
    expect(splitStatements("-- a comment;\nSELECT 1;\n\nSELECT 'a;b'\n  FROM t;\n")).toEqual([
      'SELECT 1',
      "SELECT 'a;b'\n  FROM t",
    ]);
  });
});

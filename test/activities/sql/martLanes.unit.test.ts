import { MART_TABLES, refreshStatements, type MartValues } from '../../../src/activities/sql/mart';
import {
  dropWorkTable,
  FIRST_LANE,
  SECOND_LANE,
  STALE_WORK_TABLE_MS,
  staleWorkTables,
  twoLaneRefresh,
  workToken,
} from '../../../src/activities/sql/martLanes';

const values: MartValues = {
  report_date: '2024-05-16',
  next_date: '2024-05-17',
  top_rows: 50,
  time_zone: 'Asia/Seoul',
};
const NOW = Date.UTC(2024, 4, 17, 6);
const token = workToken(NOW, '9f3a1c');
const plan = twoLaneRefresh(values, token);

describe('the two-lane mart refresh (PostgreSQL)', () => {
  it('refreshes every mart table once, the tables that read other mart tables after what they read', () => {
    const order = [...plan.first, ...plan.rest].map((step) => step.table);
    expect([...order].sort()).toEqual([...MART_TABLES].sort());
    expect(plan.first.map((s) => s.table)).toEqual(FIRST_LANE);
    expect(plan.rest.map((s) => s.table)).toEqual(MART_TABLES.filter((t) => !FIRST_LANE.includes(t)));
    expect(FIRST_LANE.filter((t) => SECOND_LANE.includes(t))).toEqual([]);
  });

  it('computes in the lanes only tables that read nothing but the warehouse', () => {
    const single = refreshStatements(values, 'postgres');
    const firstLaneSql = single.filter((s) => FIRST_LANE.includes(s.table)).flatMap((s) => s.statements);
    const computing = [...firstLaneSql.filter((s) => s.sql.startsWith('CREATE')), ...plan.second];
    expect(computing).toHaveLength(FIRST_LANE.length + SECOND_LANE.length);
    for (const statement of computing) {
      expect(statement.sql).toMatch(/\bdw\./);
      expect(statement.sql.slice(statement.sql.indexOf(' AS\n'))).not.toMatch(/\bmart\./);
    }
  });

  it("takes each second-lane table's rows from its own work table, with the same SELECT and values", () => {
    const single = new Map(refreshStatements(values, 'postgres').map((s) => [s.table, s.statements]));
    expect(plan.workTables).toEqual(SECOND_LANE.map((t) => `mart_work.${token}_${t}`));
    SECOND_LANE.forEach((table, i) => {
      const work = plan.workTables[i]!;
      const [remove, compute] = single.get(table)!;
      const select = compute!.sql.slice(compute!.sql.indexOf(' AS\n'));
      expect(plan.second[i]).toEqual({
        sql: `CREATE UNLOGGED TABLE ${work}${select}`,
        params: compute!.params,
      });
      const step = plan.rest.find((s) => s.table === table)!;
      expect(step.statements[0]).toEqual(remove);
      expect(step.statements[1]!.sql).toMatch(
        new RegExp(`^INSERT INTO mart\\.${table} \\(.*\\) SELECT \\* FROM ${work}$`, 's'),
      );
      expect(step.statements[2]!.sql).toBe(`DROP TABLE ${work}`);
    });
  });

  it('names work tables by when their refresh started, and drops only those of a refresh that died', () => {
    expect(token).toBe(`t${NOW / 1000}_9f3a1c`);
    expect(() => workToken(NOW, 'x; DROP')).toThrow(/6 hex digits/);
    const old = workToken(NOW - STALE_WORK_TABLE_MS - 1000, 'aaaaaa');
    const recent = workToken(NOW - STALE_WORK_TABLE_MS + 1000, 'bbbbbb');
    expect(
      staleWorkTables([`${old}_daily_counts`, `${recent}_daily_counts`, 'analyst_scratch', 't12_zz_x'], NOW),
    ).toEqual([`mart_work.${old}_daily_counts`]);
    expect(dropWorkTable(`mart_work.${old}_daily_counts`)).toBe(
      `DROP TABLE IF EXISTS mart_work.${old}_daily_counts`,
    );
    expect(() => dropWorkTable('mart.daily_counts')).toThrow(/not a mart work table/);
  });
});

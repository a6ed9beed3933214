import { rewritePlaceholders } from '../../../src/adapters/warehouse/sqlPlaceholders';
import { bindNamed } from '../../../src/activities/sql/mart';

describe('rewritePlaceholders: the one placeholder scanner', () => {
  const numbered = (sql: string) => rewritePlaceholders(sql, 'numbered', (n) => `<${n}>`);
  const named = (sql: string) => rewritePlaceholders(sql, 'named', (name) => `<${name}>`);

  it('finds $n and :name, and nothing inside literals, quoted identifiers or comments', () => {
    const sql = `SELECT $1, '$2 :a', "col$3", x::int, :a -- $4 :b\n/* $5 :c */ FROM t WHERE y = $10 AND z = :b_2`;
    expect(numbered(sql)).toBe(
      `SELECT <1>, '$2 :a', "col$3", x::int, :a -- $4 :b\n/* $5 :c */ FROM t WHERE y = <10> AND z = :b_2`,
    );
    expect(named(sql)).toBe(
      `SELECT $1, '$2 :a', "col$3", x::int, <a> -- $4 :b\n/* $5 :c */ FROM t WHERE y = $10 AND z = <b_2>`,
    );
  });

  it("leaves a name's own $ and a literal's doubled or escaped quotes alone", () => {
    expect(numbered(`SELECT a$1, 'it''s $1', 'back\\' $1', $1`)).toBe(
      `SELECT a$1, 'it''s $1', 'back\\' $1', <1>`,
    );
  });

  it('binds the mart files the same way (named to numbered, only the values used)', () => {
    expect(bindNamed("SELECT :b, ':a', :a, :b -- :c\n", { a: 1, b: 'two', c: 3 })).toEqual({
      sql: "SELECT $1, ':a', $2, $1 -- :c\n",
      params: ['two', 1],
    });
  });
});

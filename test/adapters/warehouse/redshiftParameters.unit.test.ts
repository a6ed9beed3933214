import { toNamedParameters } from '../../../src/adapters/warehouse/redshiftParameters';

describe('toNamedParameters', () => {
  it('rewrites $n to :pn and sends each used value once, as a string', () => {
    const out = toNamedParameters('SELECT * FROM t WHERE d = $1 AND n > $2 AND ok = $3 AND d2 = $1', [
      '2024-05-01',
      3,
      true,
    ]);
    expect(out.sql).toBe('SELECT * FROM t WHERE d = :p1 AND n > :p2 AND ok = :p3 AND d2 = :p1');
    expect(out.parameters).toEqual([
      { name: 'p1', value: '2024-05-01' },
      { name: 'p2', value: '3' },
      { name: 'p3', value: 'true' },
    ]);
  });

  it('writes NULL and empty-string values as SQL constants, which the Data API cannot carry', () => {
    const out = toNamedParameters('INSERT INTO t (a, b, c) VALUES ($1, $2, $3)', [null, '', 'x']);
    expect(out.sql).toBe("INSERT INTO t (a, b, c) VALUES (NULL, '', :p3)");
    expect(out.parameters).toEqual([{ name: 'p3', value: 'x' }]);
  });

  it('keeps a value that merely spells NULL or contains quotes as a parameter', () => {
    const out = toNamedParameters('SELECT $1, $2', ['NULL', "O'Brien; DROP TABLE t --"]);
    expect(out.sql).toBe('SELECT :p1, :p2');
    expect(out.parameters.map((p) => p.value)).toEqual(['NULL', "O'Brien; DROP TABLE t --"]);
  });

  it('leaves $n inside literals, quoted identifiers and comments alone', () => {
    const sql = [
      "SELECT '$1 it''s', \"col$1\", 'a\\'$1' -- $1 here",
      '/* $2 */ FROM t WHERE a = $2 AND b = $10',
    ].join('\n');
    const params = Array.from({ length: 10 }, (_, i) => `v${i + 1}`);
    const out = toNamedParameters(sql, params);
    expect(out.sql).toBe(
      [
        "SELECT '$1 it''s', \"col$1\", 'a\\'$1' -- $1 here",
        '/* $2 */ FROM t WHERE a = :p2 AND b = :p10',
      ].join('\n'),
    );
    expect(out.parameters).toEqual([
      { name: 'p2', value: 'v2' },
      { name: 'p10', value: 'v10' },
    ]);
  });

  it('keeps casts written after a placeholder', () => {
    expect(toNamedParameters('SELECT $1::date', ['2024-05-01']).sql).toBe('SELECT :p1::date');
  });

  it('rejects a placeholder without a value and numbers Redshift cannot store', () => {
    expect(() => toNamedParameters('SELECT $2', ['a'])).toThrow(/\$2 but 1 parameter/);
    expect(() => toNamedParameters('SELECT $1', [Number.NaN])).toThrow(RangeError);
  });

  it('passes SQL without placeholders through unchanged', () => {
    expect(toNamedParameters('SELECT 1')).toEqual({ sql: 'SELECT 1', parameters: [] });
  });
});

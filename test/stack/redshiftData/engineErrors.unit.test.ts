import { engineErrorText } from '../../../src/stack/redshiftData/engine';

describe("the endpoint's Redshift error text for PostgreSQL errors", () => {
  it('reports a serialization failure as ERROR 1023', () => {
    expect(engineErrorText({ code: '40001', message: 'could not serialize access' })).toMatch(
      /^ERROR: 1023 /,
    );
  });

  // Two days creating the schema at once on a fresh warehouse: Redshift would make the later one a conflict.
  it("reports two concurrent CREATE … IF NOT EXISTS racing in PostgreSQL's catalog as ERROR 1023", () => {
    const race = {
      code: '23505',
      constraint: 'pg_type_typname_nsp_index',
      message: 'duplicate key value violates unique constraint "pg_type_typname_nsp_index"',
    };
    expect(engineErrorText(race)).toMatch(/^ERROR: 1023 /);
  });

  it("keeps a duplicate key of the application's own table as the engine's error", () => {
    const duplicate = {
      code: '23505',
      constraint: 'delivery_ledger_key',
      message: 'duplicate key value violates unique constraint "delivery_ledger_key"',
      detail: 'Key (recipient)=(a@b.c) already exists.',
    };
    expect(engineErrorText(duplicate)).toBe(
      'ERROR: duplicate key value violates unique constraint "delivery_ledger_key"\n  Detail: Key (recipient)=(a@b.c) already exists.',
    );
  });
});

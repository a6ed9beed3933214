import { classifyPgError } from '../../src/adapters/pgErrors';
import { rdsMissingTableFix } from '../../src/adapters/rds/pgRds';
import {
  MissingResourceError,
  RejectedDataError,
  ServiceUnavailableError,
  TransientConflictError,
} from '../../src/errors';

const pgError = (code: string, message = 'server says no') => Object.assign(new Error(message), { code });

describe('classifyPgError', () => {
  it.each([
    ['55P03', TransientConflictError, /gave up waiting for a lock/],
    ['42P07', TransientConflictError, /created the same object/],
    ['ECONNREFUSED', ServiceUnavailableError, /not reachable/],
    ['57P01', ServiceUnavailableError, /dropped the connection/],
    ['42P01', MissingResourceError, /run the daily job once/],
    ['23514', RejectedDataError, /refused the data/],
  ])('maps %s to the failure kind that decides retrying', (code, kind, message) => {
    const classified = classifyPgError(pgError(code), 'the warehouse database');
    expect(classified).toBeInstanceOf(kind);
    expect((classified as Error).message).toMatch(message);
  });

  it('passes other errors through unchanged (Temporal retries them)', () => {
    const deadlock = pgError('40P01', 'deadlock detected');
    expect(classifyPgError(deadlock, 'the warehouse database')).toBe(deadlock);
  });

  it('says what fixes a missing RDS table: the staff directory by import or RDS_URL, never the daily job', () => {
    const missing = (table: string) =>
      classifyPgError(
        pgError('42P01', `relation "${table}" does not exist`),
        'the RDS database',
        rdsMissingTableFix,
      );
    const staff = missing('staff') as Error;
    expect(staff).toBeInstanceOf(MissingResourceError);
    expect(staff.message).toMatch(/libreport staff import FILE\.csv/);
    expect(staff.message).toMatch(/point RDS_URL at the database whose staff table lists them/);
    expect(staff.message).not.toMatch(/daily job/);
    expect((missing('public.user_choice') as Error).message).toMatch(
      /point RDS_URL at the service's database/,
    );
  });
});

import { classifyPgError } from '../../src/adapters/pgErrors';
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
});

import {
  InvalidStatementError,
  LibreportError,
  MissingResourceError,
  RejectedDataError,
  ServiceUnavailableError,
  TransientConflictError,
} from '../errors';

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EPIPE']);

/**
 * Maps a `pg` error to a failure kind once: connection problems are retryable `ServiceUnavailableError`s
 * with a hint; a missing database is a `MissingResourceError`; other SQL errors pass through unchanged.
 * `missingTableFix` says what fixes a missing table (by default, the warehouse's: the daily job creates it).
 */
export function classifyPgError(
  error: unknown,
  where: string,
  missingTableFix: (table: string | undefined) => string = () =>
    'run the daily job once (it creates the schema) or check the name',
): unknown {
  if (error instanceof LibreportError) return error;
  const e = error as { code?: string; message?: string };
  if (e.code && CONNECTION_CODES.has(e.code)) {
    return new ServiceUnavailableError(
      `${where} is not reachable (${e.code}); start PostgreSQL (e.g. "pg_ctlcluster 15 main start") or fix its URL`,
    );
  }
  // 57P01 admin shutdown, 57P03 cannot connect now, 08xxx connection exceptions: the server is going away.
  if (e.code === '57P01' || e.code === '57P02' || e.code === '57P03' || e.code?.startsWith('08')) {
    return new ServiceUnavailableError(
      `${where} dropped the connection (${e.code}: ${e.message}); it will be retried`,
    );
  }
  if (e.code === '3D000') {
    return new MissingResourceError(
      `${where} does not exist (${e.message}); run "libreport stack up" to create it`,
    );
  }
  if (e.code === '42P01' || e.code === '3F000') {
    const table = /relation "(?:[^".]+\.)?([^"]+)" does not exist/.exec(e.message ?? '')?.[1];
    return new MissingResourceError(`${where}: ${e.message}; ${missingTableFix(table)}`);
  }
  // CREATE … IF NOT EXISTS racing another run's on a fresh database trips the catalog's unique indexes.
  if (
    (e.code === '23505' && (error as { constraint?: string }).constraint?.startsWith('pg_')) ||
    e.code === '42P07' || // duplicate table
    e.code === '42P06' || // duplicate schema
    e.code === '42710' // duplicate object (a table's row type)
  ) {
    return new TransientConflictError(
      `${where}: another run created the same object at the same time (${e.code}); retrying`,
    );
  }
  if (e.code === '55P03') {
    return new TransientConflictError(
      `${where}: gave up waiting for a lock (${e.message}), e.g. behind a long query on the same table; retrying`,
    );
  }
  // Class 22 (data exception) and 23 (integrity violation): the data itself is refused, retrying cannot help.
  if (e.code?.startsWith('22') || e.code?.startsWith('23')) {
    return new RejectedDataError(`${where} refused the data (${e.code}): ${e.message}`);
  }
  if (e.code?.startsWith('42')) {
    return new InvalidStatementError(`${where} rejected a statement (${e.code}): ${e.message}`);
  }
  if (e.message && /Connection terminated/i.test(e.message)) {
    return new ServiceUnavailableError(`${where} closed the connection (${e.message}); it will be retried`);
  }
  return error;
}

import {
  MissingResourceError,
  ServiceUnavailableError,
  StatementFailedError,
  TransientConflictError,
} from '../../errors';
import { connectionErrorCode } from './networkErrors';

/**
 * The Redshift Data API's failures mapped to libreport's kinds, decided here once: what a retry can fix
 * (a conflict, a busy or unreachable service) is retryable; what the same SQL would fail again is not.
 */

/** Data API error shapes that mean "busy or briefly unavailable", not "wrong request". */
const UNAVAILABLE = new Set([
  'ActiveStatementsExceededException',
  'ActiveSessionsExceededException',
  'DatabaseConnectionException',
  'InternalServerException',
  'ThrottlingException',
  'ServiceUnavailableException',
]);

/**
 * A failed Data API call (the request itself, not the SQL). Anything not recognised (a ValidationException:
 * a malformed request) passes through unchanged.
 */
export function classifyApiError(error: unknown, where: string): unknown {
  const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } } | null;
  const code = connectionErrorCode(error);
  if (code) {
    return new ServiceUnavailableError(
      `the Redshift Data API is not reachable for ${where} (${code}); it will be retried`,
    );
  }
  const status = e?.$metadata?.httpStatusCode ?? 0;
  if ((e?.name && UNAVAILABLE.has(e.name)) || status >= 500) {
    return new ServiceUnavailableError(
      `${where} is busy or unavailable (${e?.name ?? status}: ${e?.message}); it will be retried`,
    );
  }
  // A session reclaimed (idle past its keep-alive, or its 24 hours) takes its transaction with it: a retry of
  // the whole transaction opens a new one.
  if (e?.name === 'ValidationException' && /Session is not available/i.test(e.message ?? '')) {
    return new ServiceUnavailableError(
      `${where} closed the transaction's session (${e.message}); it will be retried`,
    );
  }
  if (e?.name === 'ResourceNotFoundException') return new MissingResourceError(`${where}: ${e.message}`);
  return error;
}

/** Redshift's serialization conflict: "ERROR: 1023 DETAIL: Serializable isolation violation on table …". */
const SERIALIZATION_CONFLICT = /ERROR:\s*1023\b|Serializable isolation violation/i;
/** The statement lost its connection to the database rather than failing on its SQL. */
const CONNECTION_LOST =
  /connection (?:terminated|reset|refused|closed)|terminating connection|server closed the connection|could not connect/i;

/** A `CREATE … IF NOT EXISTS` can fail this way only when another run created the object at the same moment. */
const ALREADY_EXISTS = /already exists/i;
const CREATE_IF_NOT_EXISTS = /^\s*CREATE\s[^;]*?\bIF\s+NOT\s+EXISTS\b/i;

/** A statement that ended FAILED or ABORTED, as the error its `Error` text calls for. */
export function failedStatementError(
  id: string,
  status: 'FAILED' | 'ABORTED',
  errorText: string | undefined,
  sqlPreview: string,
): Error {
  const text = errorText ?? 'no reason given';
  const message = `Redshift statement ${id} ${status === 'ABORTED' ? 'was aborted' : 'failed'}: ${text} (SQL: ${sqlPreview})`;
  // Two transactions wrote what the other read: the loser's whole transaction must run again, and will pass.
  if (SERIALIZATION_CONFLICT.test(text)) return new TransientConflictError(`${message}; it will be retried`);
  if (CONNECTION_LOST.test(text)) return new ServiceUnavailableError(`${message}; it will be retried`);
  // Two runs creating the same table on a fresh warehouse (two days of a backfill): a retry finds it made.
  if (ALREADY_EXISTS.test(text) && CREATE_IF_NOT_EXISTS.test(sqlPreview)) {
    return new TransientConflictError(
      `${message}; another run created it at the same time; it will be retried`,
    );
  }
  return new StatementFailedError(message);
}

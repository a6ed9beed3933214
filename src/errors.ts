/**
 * Failure kinds, decided once. A kind listed in `NON_RETRYABLE_ERROR_TYPES` fails an activity at once;
 * every other error is retried by Temporal's retry policy (network blips, a restarting database), but only
 * within the stage's schedule-to-close budget (`src/workflows/stageActivities.ts`): an outage that outlasts
 * it fails the day. An attempt whose worker died is retried once its heartbeat timeout (configured, see
 * `StageTimeouts`) or, for the quick stages, its start-to-close timeout passes.
 *
 * Activities throw these classes; the worker converts them to `ApplicationFailure` with the class
 * name as the type (see `toApplicationFailure`), so workflows and the CLI can tell them apart.
 */
export abstract class LibreportError extends Error {
  /** Whether retrying the same call can ever succeed. */
  abstract readonly retryable: boolean;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A configuration variable is missing or malformed. The message names the variable. */
export class ConfigError extends LibreportError {
  readonly retryable = false;
}

/** A user typed something we cannot act on (bad date, reversed range, unknown option). */
export class UserInputError extends LibreportError {
  readonly retryable = false;
}

/** A service the job needs cannot be reached; the message says how to start it. Retryable inside a run. */
export class ServiceUnavailableError extends LibreportError {
  readonly retryable = true;
}

/** SES refused a send as a whole (sender not verified, no permission, a bad request): nothing was sent. */
export class DeliveryRefusedError extends LibreportError {
  readonly retryable = false;
}

/** Two runs raced on the same object (e.g. both creating the schema on a fresh warehouse): try again. */
export class TransientConflictError extends LibreportError {
  readonly retryable = true;
}

/** Something the job expects to exist (a table, a bucket) does not; retrying will not create it. */
export class MissingResourceError extends LibreportError {
  readonly retryable = false;
}

/** The identity libreport runs as may not do something (the message names the permission and the fix). */
export class PermissionDeniedError extends LibreportError {
  readonly retryable = false;
}

/** Source counts and warehouse counts disagree: the day must not be reported as if it were whole. */
export class ReconciliationError extends LibreportError {
  readonly retryable = false;
}

/** A Redshift Data API statement ended FAILED or ABORTED. */
export class StatementFailedError extends LibreportError {
  readonly retryable = false;
}

/** The warehouse or RDS refused the data itself (bad value, constraint): the same rows fail again. */
export class RejectedDataError extends LibreportError {
  readonly retryable = false;
}

/** A statement is wrong (syntax, unknown column): a bug or a schema drift, not a passing fault. */
export class InvalidStatementError extends LibreportError {
  readonly retryable = false;
}

/** The report renderer ran past its time limit and was killed; a fresh renderer may well succeed. */
export class RenderTimeoutError extends LibreportError {
  readonly retryable = true;
}

/** MJML rejected the document the report built: a bug in the template; retrying cannot help. */
export class TemplateError extends LibreportError {
  readonly retryable = false;
}

/** The error type names Temporal must never retry. Used in every activity retry policy. */
export const NON_RETRYABLE_ERROR_TYPES: readonly string[] = Object.freeze([
  'ConfigError',
  'UserInputError',
  'MissingResourceError',
  'ReconciliationError',
  'StatementFailedError',
  'RejectedDataError',
  'InvalidStatementError',
  'DeliveryRefusedError',
  'UnsafeHeaderError',
  'TemplateError',
]);

/** Whether an error is a user's or operator's mistake that deserves one line, not a stack trace. */
export function isUserFacing(error: unknown): error is LibreportError {
  return error instanceof LibreportError;
}

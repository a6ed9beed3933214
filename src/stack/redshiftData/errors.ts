/**
 * The two ways the local Redshift Data API endpoint says no, kept apart because Redshift keeps them apart:
 * a request the API refuses is an HTTP error with an awsJson1_1 `__type` (the SDK throws it from `send`);
 * SQL the engine refuses never surfaces there — the statement is accepted and ends FAILED with `Error` text.
 */

/** The Data API's error shapes we emulate (botocore/Smithy model names). */
export type DataApiErrorType =
  | 'ValidationException'
  | 'ResourceNotFoundException'
  | 'ActiveStatementsExceededException'
  | 'ActiveSessionsExceededException'
  | 'DatabaseConnectionException'
  | 'InternalServerException'
  | 'UnknownOperationException'
  | 'SerializationException';

const HTTP_STATUS: Record<DataApiErrorType, number> = {
  ValidationException: 400,
  ResourceNotFoundException: 400,
  ActiveStatementsExceededException: 400,
  ActiveSessionsExceededException: 400,
  DatabaseConnectionException: 500,
  InternalServerException: 500,
  UnknownOperationException: 400,
  SerializationException: 400,
};

/** A refused API call: sent as `{"__type": type, "Message": …}` with the shape's HTTP status. */
export class DataApiError extends Error {
  readonly httpStatus: number;
  constructor(
    readonly type: DataApiErrorType,
    message: string,
    /** Extra members of the error shape, e.g. `ResourceId` of ResourceNotFoundException. */
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
    this.name = type;
    this.httpStatus = HTTP_STATUS[type];
  }
}

export const validation = (message: string) => new DataApiError('ValidationException', message);

/**
 * SQL that Redshift would not run: the dialect gate found a PostgreSQL-only construct (or one the stand-in
 * does not implement). The statement ends FAILED with `ERROR: <message>`, as Redshift reports SQL errors.
 */
export class DialectError extends Error {
  constructor(
    /** The construct, as people name it: "ON CONFLICT", "function generate_series". */
    readonly construct: string,
    message?: string,
  ) {
    super(message ?? `Amazon Redshift does not support ${construct}`);
    this.name = 'DialectError';
  }
}

/** The stand-in understood the statement but does not implement it (a COPY option, a data source). */
export class NotImplementedError extends DialectError {
  constructor(construct: string, detail = '') {
    super(
      construct,
      `${construct} is not implemented by the local Redshift stand-in${detail ? `: ${detail}` : ''}`,
    );
    this.name = 'NotImplementedError';
  }
}

import { DataApiError, validation } from './errors';
import { cancelStatement, runStatement, type ExecutionDeps } from './execution';
import { bindParameters, type BoundSql, type NamedParameter } from './gate/parameters';
import type { Session } from './sessions';
import { ACTIVE, type StatementRecord, type Target } from './statementStore';

/**
 * The Data API operations libreport's adapter uses (and ListStatements), with the API's input checks
 * (botocore's redshift-data 2019-12-20 model) and its output members. Timestamps are epoch seconds.
 */

type Input = Record<string, unknown>;
type Output = Record<string, unknown>;

export interface ApiLimits {
  /** ActiveStatementsExceededException past this many SUBMITTED/STARTED statements (200 per cluster in the 2023 docs). */
  readonly maxActiveStatements: number;
  /** Records per GetStatementResult page. */
  readonly pageRows: number;
}

const CLUSTER_ID = /^[a-z]([a-z0-9]|-[a-z0-9])*$/;
const MAX_SQL_BYTES = 100 * 1024;
const MAX_BATCH = 40;

export function createApi(deps: ExecutionDeps, limits: ApiLimits) {
  /** ClientToken → the answer given the first time (idempotent retries of a submit). */
  const answered = new Map<string, Output>();

  function submit(input: Input, sqls: string[], batch: boolean): Output {
    const token = optionalString(input, 'ClientToken');
    const earlier = token ? answered.get(token) : undefined;
    if (earlier) return earlier;
    for (const sql of sqls) {
      if (Buffer.byteLength(sql) > MAX_SQL_BYTES)
        throw validation('Cannot process query string larger than 100kB');
    }
    const format = optionalString(input, 'ResultFormat');
    if (format !== undefined && format !== 'JSON') {
      throw validation(`ResultFormat ${format} is not implemented by the local Redshift stand-in (JSON is)`);
    }
    const parameters = parameterList(input);
    const bound: BoundSql[] = sqls.map((sql) => bindParameters(sql, parameters));
    const keepAlive = keepAliveSeconds(input);
    const sessionId = optionalString(input, 'SessionId');
    const target = sessionId ? sessionTarget(input) : connectionTarget(input);
    if (deps.store.activeCount() >= limits.maxActiveStatements) {
      throw new DataApiError(
        'ActiveStatementsExceededException',
        `Active statements exceeded the allowed quota (${limits.maxActiveStatements}).`,
      );
    }
    let session: Session | undefined;
    if (sessionId) {
      session = deps.sessions.claim(sessionId, 'pending');
      if (keepAlive !== undefined) session.keepAliveSeconds = keepAlive;
    } else if (keepAlive) {
      session = deps.sessions.open(target, keepAlive);
    }
    const record = deps.store.create({
      sql: batch ? sqls.join('; ') : sqls[0]!,
      parameters: parameters.length ? parameters : undefined,
      statementName: optionalString(input, 'StatementName'),
      target: session?.target ?? target,
      sessionId: session?.id,
      parts: batch ? sqls : undefined,
    });
    if (session) deps.sessions.occupy(session, record.id);
    // Answer first, run after: the Data API is asynchronous and callers poll DescribeStatement.
    setImmediate(() => void runStatement(deps, record, bound, session));
    const output: Output = {
      Id: record.id,
      CreatedAt: seconds(record.createdAt),
      ...echo(record.target),
      DbGroups: [],
      ...(session ? { SessionId: session.id } : {}),
    };
    if (token) answered.set(token, output);
    return output;
  }

  return {
    ExecuteStatement(input: Input): Output {
      const sql = input.Sql;
      if (typeof sql !== 'string' || sql.length === 0) throw validation('Sql is required');
      return submit(input, [sql], false);
    },

    BatchExecuteStatement(input: Input): Output {
      const sqls = input.Sqls;
      if (
        !Array.isArray(sqls) ||
        sqls.length < 1 ||
        sqls.length > MAX_BATCH ||
        sqls.some((s) => typeof s !== 'string' || !s)
      ) {
        throw validation(`Sqls must hold 1 to ${MAX_BATCH} SQL statements`);
      }
      return submit(input, sqls as string[], true);
    },

    DescribeStatement(input: Input): Output {
      const record = deps.store.get(requiredString(input, 'Id'));
      return {
        ...describe(record),
        ...(record.subStatements ? { SubStatements: record.subStatements.map(describe) } : {}),
      };
    },

    GetStatementResult(input: Input): Output {
      const id = requiredString(input, 'Id');
      const record = deps.store.get(id);
      if (record.subStatements)
        throw validation(`Statement ${id} is a batch: ask for the result of one part, ${id}:<n>`);
      if (record.status !== 'FINISHED' || !record.result) {
        throw new DataApiError(
          'ResourceNotFoundException',
          'Query does not have result. Please check query status with DescribeStatement.',
          { ResourceId: id },
        );
      }
      const offset = Number(optionalString(input, 'NextToken') ?? '0');
      if (!Number.isInteger(offset) || offset < 0) throw validation('NextToken is not valid');
      const records = record.result.records.slice(offset, offset + limits.pageRows);
      const next = offset + records.length;
      return {
        Records: records,
        ColumnMetadata: record.result.columns,
        TotalNumRows: record.result.records.length,
        ...(next < record.result.records.length ? { NextToken: String(next) } : {}),
      };
    },

    async CancelStatement(input: Input): Promise<Output> {
      return { Status: await cancelStatement(deps, requiredString(input, 'Id')) };
    },

    ListStatements(input: Input): Output {
      const max = input.MaxResults === undefined ? 100 : Number(input.MaxResults);
      if (!Number.isInteger(max) || max < 0 || max > 100) throw validation('MaxResults must be 0 to 100');
      const status = optionalString(input, 'Status');
      const name = optionalString(input, 'StatementName');
      const matching = deps.store
        .list()
        .filter((r) => !status || status === 'ALL' || r.status === status)
        .filter((r) => !name || (r.statementName ?? '').startsWith(name));
      const offset = Number(optionalString(input, 'NextToken') ?? '0');
      const page = matching.slice(offset, offset + (max || 100));
      return {
        Statements: page.map((r) => ({
          Id: r.id,
          Status: r.status,
          StatementName: r.statementName,
          ...(r.subStatements
            ? { QueryStrings: r.subStatements.map((s) => s.sql), IsBatchStatement: true }
            : { QueryString: r.sql, IsBatchStatement: false }),
          QueryParameters: r.parameters,
          SessionId: r.sessionId,
          CreatedAt: seconds(r.createdAt),
          UpdatedAt: seconds(r.updatedAt),
        })),
        ...(offset + page.length < matching.length ? { NextToken: String(offset + page.length) } : {}),
      };
    },
  };
}

function describe(record: StatementRecord): Output {
  return {
    Id: record.id,
    Status: record.status,
    ...(record.error !== undefined ? { Error: record.error } : {}),
    QueryString: record.sql,
    ...(record.parameters ? { QueryParameters: record.parameters } : {}),
    HasResultSet: record.hasResultSet,
    ResultRows: ACTIVE.has(record.status) ? -1 : record.resultRows,
    ResultSize: record.resultSize,
    Duration: record.durationNs,
    ...(record.redshiftPid !== undefined ? { RedshiftPid: record.redshiftPid } : {}),
    ...(record.redshiftQueryId !== undefined ? { RedshiftQueryId: record.redshiftQueryId } : {}),
    CreatedAt: seconds(record.createdAt),
    UpdatedAt: seconds(record.updatedAt),
    ...echo(record.target),
    ...(record.sessionId ? { SessionId: record.sessionId } : {}),
    ResultFormat: 'JSON',
  };
}

function echo(target: Target): Output {
  return { ...target };
}

/** Cluster or workgroup, and the database: required without a session. */
function connectionTarget(input: Input): Target {
  const cluster = optionalString(input, 'ClusterIdentifier');
  const workgroup = optionalString(input, 'WorkgroupName');
  if (!cluster === !workgroup)
    throw validation('Either ClusterIdentifier or WorkgroupName must be specified, not both');
  if (cluster && (cluster.length > 63 || !CLUSTER_ID.test(cluster)))
    throw validation(`ClusterIdentifier ${cluster} is not valid`);
  if (workgroup && (workgroup.length < 3 || workgroup.length > 128))
    throw validation(`WorkgroupName ${workgroup} is not valid`);
  const database = optionalString(input, 'Database');
  if (!database) throw validation('Database is required');
  const secretArn = optionalString(input, 'SecretArn');
  const dbUser = optionalString(input, 'DbUser');
  if (secretArn && dbUser) throw validation('SecretArn and DbUser cannot both be given');
  return {
    ...(cluster ? { ClusterIdentifier: cluster } : { WorkgroupName: workgroup }),
    Database: database,
    ...(dbUser ? { DbUser: dbUser } : {}),
    ...(secretArn ? { SecretArn: secretArn } : {}),
  };
}

/** A statement in a session names nothing else: the session already holds its connection (unconfirmed rule). */
function sessionTarget(input: Input): Target {
  for (const field of ['ClusterIdentifier', 'WorkgroupName', 'Database', 'SecretArn', 'DbUser']) {
    if (input[field] !== undefined) throw validation(`${field} cannot be specified together with SessionId`);
  }
  return {};
}

function parameterList(input: Input): NamedParameter[] {
  const value = input.Parameters;
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length === 0) throw validation('Parameters must be a non-empty list');
  return value.map((p: Input) => {
    if (typeof p?.name !== 'string' || typeof p?.value !== 'string')
      throw validation('Each parameter needs a name and a string value');
    return { name: p.name, value: p.value };
  });
}

function keepAliveSeconds(input: Input): number | undefined {
  const value = input.SessionKeepAliveSeconds;
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 86400) {
    throw validation('SessionKeepAliveSeconds must be 0 to 86400');
  }
  return value;
}

function requiredString(input: Input, field: string): string {
  const value = optionalString(input, field);
  if (!value) throw validation(`${field} is required`);
  return value;
}

function optionalString(input: Input, field: string): string | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw validation(`${field} must be a string`);
  return value;
}

function seconds(date: Date): number {
  return date.getTime() / 1000;
}

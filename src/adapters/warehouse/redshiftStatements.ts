import {
  CancelStatementCommand,
  DescribeStatementCommand,
  ExecuteStatementCommand,
  GetStatementResultCommand,
  type ColumnMetadata,
  type ExecuteStatementCommandInput,
  type Field,
  type RedshiftDataClient,
} from '@aws-sdk/client-redshift-data';
import { ServiceUnavailableError } from '../../errors';
import type { RedshiftWarehouseConfig } from '../../config/config';
import type { Row, SqlValue } from './port';
import { classifyApiError, failedStatementError } from './redshiftErrors';
import { toNamedParameters } from './redshiftParameters';

/** How long to wait between DescribeStatement calls and in total. */
export interface PollingOptions {
  /** First wait; doubles after each poll up to `maxPollIntervalMs`. */
  readonly pollIntervalMs: number;
  readonly maxPollIntervalMs: number;
  /** A statement still running after this long is cancelled and reported as unavailable. */
  readonly timeoutMs: number;
  readonly sleep: (ms: number) => Promise<void>;
}

/**
 * Where a statement runs: the configured cluster/workgroup, or an open Data API session. `endSession` makes
 * it the session's last statement (keep-alive 0), so the session closes as soon as it finishes.
 */
export type StatementScope =
  { readonly sessionId: string; readonly endSession?: boolean } | { readonly openSessionSeconds?: number };

export interface StatementOutcome {
  readonly rows: Row[];
  /** The Data API session the statement ran in, when it opened or used one. */
  readonly sessionId?: string;
}

/** Runs one SQL statement through the Data API: submit, poll until done, then page its result set. */
export type StatementRunner = (
  sql: string,
  params: readonly SqlValue[] | undefined,
  scope: StatementScope,
) => Promise<StatementOutcome>;

export function statementRunner(
  client: RedshiftDataClient,
  config: RedshiftWarehouseConfig,
  polling: PollingOptions,
): StatementRunner {
  const target = connectionFields(config);
  const where = config.workgroup
    ? `Redshift workgroup ${config.workgroup}`
    : `Redshift cluster ${config.clusterId}`;

  return async (sql, params, scope) => {
    const statement = toNamedParameters(sql, params);
    const input: ExecuteStatementCommandInput = {
      Sql: statement.sql,
      ...(statement.parameters.length ? { Parameters: statement.parameters } : {}),
      // A request in a session must not name the cluster or database again: the session already does.
      ...('sessionId' in scope
        ? { SessionId: scope.sessionId, ...(scope.endSession ? { SessionKeepAliveSeconds: 0 } : {}) }
        : {
            ...target,
            ...(scope.openSessionSeconds ? { SessionKeepAliveSeconds: scope.openSessionSeconds } : {}),
          }),
    };
    const submitted = await call(where, () => client.send(new ExecuteStatementCommand(input)));
    const id = submitted.Id;
    if (!id) throw new ServiceUnavailableError(`${where} accepted a statement but returned no statement id`);
    const hasResultSet = await waitUntilFinished(client, id, sql, where, polling);
    const rows = hasResultSet ? await fetchRows(client, id, where) : [];
    return { rows, sessionId: submitted.SessionId ?? ('sessionId' in scope ? scope.sessionId : undefined) };
  };
}

function connectionFields(config: RedshiftWarehouseConfig): Partial<ExecuteStatementCommandInput> {
  return {
    ...(config.workgroup ? { WorkgroupName: config.workgroup } : { ClusterIdentifier: config.clusterId }),
    Database: config.database,
    ...(config.secretArn ? { SecretArn: config.secretArn } : {}),
    ...(config.dbUser && !config.secretArn ? { DbUser: config.dbUser } : {}),
  };
}

/** Polls DescribeStatement with a doubling wait; returns whether the statement has a result set. */
async function waitUntilFinished(
  client: RedshiftDataClient,
  id: string,
  sql: string,
  where: string,
  polling: PollingOptions,
): Promise<boolean> {
  let waited = 0;
  let wait = polling.pollIntervalMs;
  for (;;) {
    const described = await call(where, () => client.send(new DescribeStatementCommand({ Id: id })));
    switch (described.Status) {
      case 'FINISHED':
        return described.HasResultSet === true;
      case 'FAILED':
      case 'ABORTED':
        throw failedStatementError(id, described.Status, described.Error, preview(sql));
    }
    if (waited >= polling.timeoutMs) {
      await client.send(new CancelStatementCommand({ Id: id })).catch(() => undefined);
      throw new ServiceUnavailableError(
        `Redshift statement ${id} was still ${described.Status ?? 'running'} after ${Math.round(waited / 1000)}s on ${where}; it was cancelled and will be retried`,
      );
    }
    await polling.sleep(wait);
    waited += wait;
    wait = Math.min(wait * 2, polling.maxPollIntervalMs);
  }
}

async function fetchRows(client: RedshiftDataClient, id: string, where: string): Promise<Row[]> {
  const rows: Row[] = [];
  let columns: ColumnMetadata[] | undefined;
  let nextToken: string | undefined;
  do {
    const page = await call(where, () =>
      client.send(new GetStatementResultCommand({ Id: id, NextToken: nextToken })),
    );
    columns = page.ColumnMetadata ?? columns ?? [];
    for (const record of page.Records ?? []) rows.push(toRow(columns, record));
    nextToken = page.NextToken || undefined;
  } while (nextToken);
  return rows;
}

/**
 * One result record as a row object keyed by column name. BIGINT arrives as a JSON number
 * (`longValue`), NUMERIC/DECIMAL, DATE and TIMESTAMP as strings, exactly as the Data API sends them.
 */
export function toRow(columns: readonly ColumnMetadata[], record: readonly Field[]): Row {
  const row: Row = {};
  record.forEach((field, i) => {
    const name = columns[i]?.name ?? columns[i]?.label ?? `column${i + 1}`;
    row[name] = fieldValue(field);
  });
  return row;
}

function fieldValue(field: Field): unknown {
  if (field.isNull) return null;
  if (field.stringValue !== undefined) return field.stringValue;
  if (field.longValue !== undefined) return field.longValue;
  if (field.doubleValue !== undefined) return field.doubleValue;
  if (field.booleanValue !== undefined) return field.booleanValue;
  if (field.blobValue !== undefined) return Buffer.from(field.blobValue);
  if (field.isNull === false) return null;
  throw new Error(`the Redshift Data API returned a field of an unknown kind: ${JSON.stringify(field)}`);
}

/** One Data API call, its failures mapped to our kinds (see `classifyApiError`). */
async function call<T>(where: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    throw classifyApiError(error, where);
  }
}

function preview(sql: string): string {
  const flat = sql.replace(/\s+/g, ' ').trim();
  return flat.length > 160 ? `${flat.slice(0, 157)}...` : flat;
}

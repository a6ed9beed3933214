import {
  DescribeStatementCommand,
  ExecuteStatementCommand,
  type DescribeStatementCommandOutput,
  type ExecuteStatementCommandInput,
  type RedshiftDataClient,
} from '@aws-sdk/client-redshift-data';
import { Client } from 'pg';

export const TARGET = { ClusterIdentifier: 'libreport-local', Database: 'dev' } as const;

/** Submits one statement to the cluster (or `extra.SessionId`) and returns its id and session. */
export async function execute(
  client: RedshiftDataClient,
  sql: string,
  extra: Partial<ExecuteStatementCommandInput> = {},
): Promise<{ id: string; sessionId?: string }> {
  const target = extra.SessionId ? {} : TARGET;
  const out = await client.send(new ExecuteStatementCommand({ Sql: sql, ...target, ...extra }));
  return { id: out.Id!, sessionId: out.SessionId };
}

const TERMINAL = new Set(['FINISHED', 'FAILED', 'ABORTED']);

/** Polls DescribeStatement until the statement (or `until` status) is reached. */
export async function waitFor(
  client: RedshiftDataClient,
  id: string,
  until?: string,
): Promise<DescribeStatementCommandOutput> {
  for (let i = 0; i < 500; i++) {
    const described = await client.send(new DescribeStatementCommand({ Id: id }));
    if (until ? described.Status === until : TERMINAL.has(described.Status ?? '')) return described;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`statement ${id} did not reach ${until ?? 'a final status'}`);
}

/** Runs one statement to its end. */
export async function run(
  client: RedshiftDataClient,
  sql: string,
  extra: Partial<ExecuteStatementCommandInput> = {},
): Promise<DescribeStatementCommandOutput> {
  const { id } = await execute(client, sql, extra);
  return waitFor(client, id);
}

/**
 * Holds an exclusive lock on `table` from a direct PostgreSQL connection, so statements that read it through
 * the endpoint stay STARTED until `release()`: a slow statement without a sleep function (Redshift has none).
 */
export async function holdLock(url: string, table: string): Promise<{ release(): Promise<void> }> {
  const holder = new Client({ connectionString: url });
  await holder.connect();
  await holder.query('BEGIN');
  await holder.query(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
  return {
    async release() {
      await holder.query('ROLLBACK');
      await holder.end();
    },
  };
}

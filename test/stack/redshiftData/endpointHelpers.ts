import {
  DescribeStatementCommand,
  ExecuteStatementCommand,
  type DescribeStatementCommandOutput,
  type ExecuteStatementCommandInput,
  type RedshiftDataClient,
} from '@aws-sdk/client-redshift-data';
import { Client } from 'pg';
import { freshDatabase, type TestDatabase } from '../../support/databases';
import { startRedshiftStandIns, type RedshiftStandIns } from '../../support/redshiftStandIns';

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

/**
 * The local Data API endpoint on a fresh database for one suite (at most five active statements, two records
 * per result page), with tables `blocker` (to hold locks on) and `kv`: up in its beforeAll.
 */
export function useEndpoint(name: string): {
  readonly db: TestDatabase;
  readonly client: RedshiftDataClient;
} {
  let db: TestDatabase | undefined;
  let standIns: RedshiftStandIns | undefined;
  let client: RedshiftDataClient | undefined;

  beforeAll(async () => {
    db = await freshDatabase(name);
    standIns = await startRedshiftStandIns(db.url, { maxActiveStatements: 5, pageRows: 2 });
    client = standIns.dataClient();
    await run(client, 'CREATE TABLE blocker (id INTEGER)');
    await run(client, 'CREATE TABLE kv (k VARCHAR(10) NOT NULL, v INTEGER)');
  });

  afterAll(async () => {
    await standIns?.close();
    await db?.drop();
  });

  return {
    get db() {
      return db!;
    },
    get client() {
      return client!;
    },
  };
}

/** The error an SDK call fails with: its shape name and message. */
export async function refusal(
  call: Promise<unknown>,
): Promise<{ name: string; message: string; $metadata?: unknown }> {
  try {
    await call;
  } catch (error) {
    return error as { name: string; message: string };
  }
  throw new Error('the call succeeded');
}

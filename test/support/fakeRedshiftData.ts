import { randomUUID } from 'node:crypto';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RedshiftDataClient } from '@aws-sdk/client-redshift-data';

/** A Data API `Field` as it travels in JSON. */
export type WireField =
  | { stringValue: string }
  | { longValue: number }
  | { doubleValue: number }
  | { booleanValue: boolean }
  | { isNull: true }
  | { blobValue: string };

export interface ScriptedResult {
  readonly columns: readonly { name: string; typeName: string }[];
  /** One entry per `GetStatementResult` page; every page but the last carries a NextToken. */
  readonly pages: readonly (readonly (readonly WireField[])[])[];
}

/** How one statement behaves, chosen by the test's script for each ExecuteStatement. */
export interface ScriptedStatement {
  /** Statuses returned by successive DescribeStatement calls; the last repeats. Default `['FINISHED']`. */
  readonly statuses?: readonly ('SUBMITTED' | 'PICKED' | 'STARTED' | 'FINISHED' | 'FAILED' | 'ABORTED')[];
  /** The `Error` text DescribeStatement reports for FAILED or ABORTED. */
  readonly error?: string;
  readonly result?: ScriptedResult;
}

export interface DataApiCall {
  /** `ExecuteStatement`, `DescribeStatement`, `GetStatementResult`, … (from `X-Amz-Target`). */
  readonly operation: string;
  readonly body: Record<string, unknown>;
}

export interface ExecutedStatement {
  readonly id: string;
  readonly sql: string;
  readonly parameters: readonly { name: string; value: string }[];
  readonly sessionId?: string;
  readonly request: Record<string, unknown>;
}

/**
 * A Redshift Data API endpoint on 127.0.0.1 speaking the awsJson1_1 protocol the real
 * `RedshiftDataClient` uses. Every request is recorded; each statement's fate comes from `script`.
 * It enforces the API rules our adapter must respect: parameters must all be used, a request with
 * `SessionId` must not name a cluster or database, and a session runs one statement at a time.
 */
export interface FakeRedshiftData {
  readonly endpoint: string;
  readonly calls: DataApiCall[];
  readonly statements: ExecutedStatement[];
  script(decide: (sql: string, request: Record<string, unknown>) => ScriptedStatement | undefined): void;
  client(): RedshiftDataClient;
  close(): Promise<void>;
}

interface Running {
  readonly executed: ExecutedStatement;
  readonly plan: ScriptedStatement;
  describes: number;
  finished: boolean;
}

export async function startFakeRedshiftData(): Promise<FakeRedshiftData> {
  const calls: DataApiCall[] = [];
  const statements: ExecutedStatement[] = [];
  const running = new Map<string, Running>();
  const busySessions = new Set<string>();
  let decide: (sql: string, request: Record<string, unknown>) => ScriptedStatement | undefined = () =>
    undefined;

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const operation = String(req.headers['x-amz-target'] ?? '').replace(/^RedshiftData\./, '');
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
      calls.push({ operation, body });
      try {
        reply(res, 200, handle(operation, body));
      } catch (error) {
        const e = error as { type?: string; message: string };
        reply(res, 400, { __type: e.type ?? 'ValidationException', message: e.message });
      }
    });
  });

  function handle(operation: string, body: Record<string, unknown>): unknown {
    switch (operation) {
      case 'ExecuteStatement':
        return execute(body);
      case 'DescribeStatement':
        return describe(String(body.Id));
      case 'GetStatementResult':
        return result(String(body.Id), body.NextToken as string | undefined);
      case 'CancelStatement': {
        const statement = running.get(String(body.Id));
        if (!statement)
          throw { type: 'ResourceNotFoundException', message: `Query does not exist: ${String(body.Id)}` };
        if (statement.executed.sessionId) busySessions.delete(statement.executed.sessionId);
        return { Status: true };
      }
      default:
        throw { type: 'ValidationException', message: `the fake does not implement ${operation}` };
    }
  }

  function execute(body: Record<string, unknown>): unknown {
    const sql = String(body.Sql ?? '');
    const parameters = (body.Parameters as { name: string; value: string }[] | undefined) ?? [];
    let sessionId = body.SessionId as string | undefined;
    if (sessionId) {
      for (const field of ['ClusterIdentifier', 'WorkgroupName', 'Database', 'SecretArn', 'DbUser']) {
        if (field in body) throw { message: `${field} can't be specified together with SessionId` };
      }
      if (busySessions.has(sessionId)) {
        throw { type: 'ActiveStatementsExceededException', message: `session ${sessionId} is busy` };
      }
    } else if (!body.ClusterIdentifier && !body.WorkgroupName) {
      throw { message: 'ClusterIdentifier or WorkgroupName is required' };
    }
    const unused = parameters
      .filter((p) => !new RegExp(`:${p.name}(?![0-9A-Za-z_])`).test(sql))
      .map((p) => p.name);
    if (unused.length)
      throw {
        message: `Parameters list contains unused parameters. Unused parameters: [${unused.join(', ')}]`,
      };
    for (const p of parameters) if (!p.value) throw { message: `parameter ${p.name} has an empty value` };
    if (!sessionId && body.SessionKeepAliveSeconds) sessionId = randomUUID();

    const id = randomUUID();
    const executed: ExecutedStatement = { id, sql, parameters, sessionId, request: body };
    statements.push(executed);
    running.set(id, { executed, plan: decide(sql, body) ?? {}, describes: 0, finished: false });
    if (sessionId) busySessions.add(sessionId);
    return { Id: id, CreatedAt: Date.now() / 1000, ...(sessionId ? { SessionId: sessionId } : {}) };
  }

  function describe(id: string): unknown {
    const statement = running.get(id);
    if (!statement) throw { type: 'ResourceNotFoundException', message: `Query does not exist: ${id}` };
    const statuses = statement.plan.statuses ?? ['FINISHED'];
    const status = statuses[Math.min(statement.describes++, statuses.length - 1)]!;
    const terminal = status === 'FINISHED' || status === 'FAILED' || status === 'ABORTED';
    if (terminal && statement.executed.sessionId) busySessions.delete(statement.executed.sessionId);
    statement.finished = terminal;
    return {
      Id: id,
      Status: status,
      QueryString: statement.executed.sql,
      HasResultSet: status === 'FINISHED' && statement.plan.result !== undefined,
      ...(status === 'FAILED' || status === 'ABORTED' ? { Error: statement.plan.error ?? 'failed' } : {}),
      ...(statement.executed.sessionId ? { SessionId: statement.executed.sessionId } : {}),
    };
  }

  function result(id: string, nextToken: string | undefined): unknown {
    const statement = running.get(id);
    if (!statement?.plan.result || !statement.finished) {
      throw { type: 'ResourceNotFoundException', message: `Query ${id} has no result yet` };
    }
    const page = nextToken ? Number(nextToken.replace('page-', '')) : 0;
    const { columns, pages } = statement.plan.result;
    const records = pages[page] ?? [];
    return {
      Records: records,
      ColumnMetadata: columns.map((c) => ({ name: c.name, label: c.name, typeName: c.typeName })),
      TotalNumRows: pages.reduce((n, p) => n + p.length, 0),
      ...(page + 1 < pages.length ? { NextToken: `page-${page + 1}` } : {}),
    };
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clients: RedshiftDataClient[] = [];
  return {
    endpoint,
    calls,
    statements,
    script: (fn) => void (decide = fn),
    client() {
      const client = new RedshiftDataClient({
        endpoint,
        region: 'ap-northeast-2',
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
        maxAttempts: 1,
      });
      clients.push(client);
      return client;
    },
    async close() {
      for (const client of clients) client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.1' }).end(JSON.stringify(body));
}

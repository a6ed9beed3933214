import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { S3Client } from '@aws-sdk/client-s3';
import { localCredentials } from '../../adapters/localEndpoints';
import { createApi } from './api';
import { connectEngine } from './engine';
import { DataApiError } from './errors';
import { loadSqlParser } from './gate/tokens';
import { SessionManager } from './sessions';
import { StatementStore } from './statementStore';

/** Where the endpoint runs statements and where its COPY reads S3. */
export interface RedshiftDataServerOptions {
  /** PostgreSQL database that plays the Redshift database (every `Database` maps to it). */
  readonly engineUrl: string;
  /** The S3-compatible endpoint COPY reads staged objects from (path-style). */
  readonly s3Endpoint: string;
  readonly region?: string;
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port?: number;
  readonly maxActiveStatements?: number;
  readonly maxSessions?: number;
  readonly pageRows?: number;
}

export interface RedshiftDataServer {
  /** `http://host:port`, for the SDK client's `endpoint`. */
  readonly endpoint: string;
  close(): Promise<void>;
}

const JSON_TYPE = 'application/x-amz-json-1.1';
const TARGET_PREFIX = 'RedshiftData.';
/** Larger than any valid request (100 KB of SQL in a batch of 40, plus parameters). */
const MAX_BODY_BYTES = 8 * 1024 * 1024;

/**
 * A local Amazon Redshift Data API endpoint speaking the service's awsJson1_1 protocol (POST /, the operation
 * in `X-Amz-Target`), so the real `@aws-sdk/client-redshift-data` talks to it unchanged. SigV4 signatures are
 * not checked. Statements run on PostgreSQL behind the Redshift dialect gate.
 */
export async function startRedshiftDataServer(
  options: RedshiftDataServerOptions,
): Promise<RedshiftDataServer> {
  await loadSqlParser();
  const s3 = new S3Client({
    endpoint: options.s3Endpoint,
    region: options.region ?? 'ap-northeast-2',
    forcePathStyle: true,
    credentials: localCredentials(),
  });
  const store = new StatementStore();
  const sessions = new SessionManager(() => connectEngine(options.engineUrl), options.maxSessions);
  const api = createApi(
    { engineUrl: options.engineUrl, s3, store, sessions },
    { maxActiveStatements: options.maxActiveStatements ?? 200, pageRows: options.pageRows ?? 1000 },
  );
  const operations = api as unknown as Record<string, (input: Record<string, unknown>) => unknown>;

  const server = createServer((req, res) => {
    void handle(req, res);
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      if (req.method === 'GET' && req.url === '/ping') return send(res, 200, { status: 'ok' });
      const target = String(req.headers['x-amz-target'] ?? '');
      const operation = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
      const handler = Object.prototype.hasOwnProperty.call(operations, operation)
        ? operations[operation]
        : undefined;
      if (req.method !== 'POST' || !handler) {
        throw new DataApiError(
          'UnknownOperationException',
          `Operation ${target || '(none)'} is not supported by the local Redshift Data API`,
        );
      }
      const input = await readJson(req);
      send(res, 200, await handler(input));
    } catch (error) {
      if (error instanceof DataApiError) {
        return send(res, error.httpStatus, { __type: error.type, Message: error.message, ...error.fields });
      }
      send(res, 500, {
        __type: 'InternalServerException',
        Message: error instanceof Error ? error.message : String(error),
      });
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    endpoint: `http://${host}:${port}`,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await sessions.closeAll();
      s3.destroy();
    },
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body ?? {});
  res.writeHead(status, { 'Content-Type': JSON_TYPE, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new DataApiError('ValidationException', 'Request body is too large');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    const value = JSON.parse(text) as unknown;
    if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error('not an object');
    return value as Record<string, unknown>;
  } catch {
    throw new DataApiError('SerializationException', 'The request body is not a JSON object');
  }
}

import { randomUUID } from 'node:crypto';
import { rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import type { LocalService } from './localService';
import { hostPort, httpAnswers } from './probe';
import { standInCommand } from './standInCommand';

/** A running S3-compatible server. */
export interface S3Server {
  /** `http://host:port`, for path-style S3 clients. */
  readonly endpoint: string;
  close(): Promise<void>;
}

/** The part of a Koa context the body guard uses (s3rver is a Koa application). */
interface RequestContext {
  /** The request body as s3rver reads it: it only pipes or listens to this stream. */
  req: Readable;
  get(header: string): string;
  status: number;
  type: string;
  body: unknown;
}
type Middleware = (ctx: RequestContext, next: () => Promise<void>) => Promise<void>;

interface S3rverInstance {
  run(): Promise<{ address: string; port: number }>;
  close(): Promise<void>;
  /** Koa's middleware list, composed when the server starts listening. */
  middleware: Middleware[];
  store: {
    deleteObject(bucket: string, key: string): Promise<void>;
    getResourcePath(bucket: string, key: string, resource: string): string;
    /** Writes an object's or part's bytes to `filePath`; answers their size and MD5. */
    putContent(filePath: string, content: Readable | Buffer): Promise<[number, string]>;
  };
}
type S3rverClass = new (options: Record<string, unknown>) => S3rverInstance;

/**
 * s3rver (@20minutes/s3rver), an S3 REST server that keeps objects as files under `directory`, with the
 * given buckets created. Signatures are not checked: some SDK requests (ListObjectsV2's query string) are
 * signed in ways it computes differently, and credentials are not what the local stack proves.
 */
export async function startS3Server(options: {
  directory: string;
  buckets: readonly string[];
  host?: string;
  port?: number;
}): Promise<S3Server> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- s3rver ships CommonJS without types.
  const S3rver = require('@20minutes/s3rver') as S3rverClass;
  const server = new S3rver({
    address: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    directory: options.directory,
    silent: true,
    allowMismatchedSignatures: true,
    vhostBuckets: false,
    configureBuckets: options.buckets.map((name) => ({ name })),
  });
  keepDirectoriesOnDelete(server.store);
  writeContentWhole(server.store);
  server.middleware.unshift(refuseIncompleteBodies());
  const address = await server.run();
  return {
    endpoint: `http://${address.address}:${address.port}`,
    close: () => server.close(),
  };
}

/** The S3 stand-in of the local stack: COPY staging and the report archive, files under `<dataDir>/s3`. */
export function s3StandIn(dataDir: string, endpoint: string, buckets: readonly string[]): LocalService {
  const { host, port } = hostPort(endpoint);
  return {
    part: 's3',
    processName: 's3',
    marker: 'serveStandIn',
    host,
    endpoint,
    startTimeoutMs: 30_000,
    // s3rver answers ListBuckets on `/`; any HTTP answer means it is up.
    probe: () => httpAnswers(endpoint),
    command: async () =>
      standInCommand('s3', [
        '--host',
        host,
        '--port',
        String(port),
        '--directory',
        path.join(dataDir, 's3'),
        ...buckets.flatMap((bucket) => ['--bucket', bucket]),
      ]),
    describe: () => ({ endpoint, note: `buckets: ${buckets.join(', ')}` }),
  };
}

/**
 * s3rver keeps `a/b/key` as files in a folder `a/b`, and its DeleteObject removes folders that look empty
 * with a recursive delete. A PutObject into the same folder at that moment (two scan segments staging
 * pages under one table's prefix) loses its object. S3 has no folders, so ours only deletes the object's
 * own files and leaves the folder, which lists as nothing.
 */
function keepDirectoriesOnDelete(store: S3rverInstance['store']): void {
  store.deleteObject = async (bucket, key) => {
    await Promise.all(
      ['object', 'object.md5', 'metadata.json'].map((resource) =>
        unlink(store.getResourcePath(bucket, key, resource)).catch((error: NodeJS.ErrnoException) => {
          if (error.code !== 'ENOENT') throw error;
        }),
      ),
    );
  };
}

/**
 * S3 stores an object only once its whole body has arrived: a request whose connection ends before its
 * Content-Length is refused (400 IncompleteBody) and leaves the previous version, or no object. s3rver streams
 * a body straight into the object's file, so a PutObject cut mid-body (a network or proxy drop) left a
 * truncated object in place of the previous one, served under the previous ETag; an aws-chunked body cut that
 * way even left s3rver waiting forever. So every request body is read whole before s3rver sees it, and a short
 * one is answered as S3 answers it and goes no further. (aws-chunked bodies are then decoded by s3rver, which
 * checks x-amz-decoded-content-length itself.)
 */
function refuseIncompleteBodies(): Middleware {
  return async (ctx, next) => {
    const declared = ctx.get('content-length');
    if (!declared && !ctx.get('transfer-encoding')) return next();
    const body = await wholeBody(ctx.req);
    if (!body || (declared !== '' && body.length !== Number(declared))) {
      // Seldom read: Node's HTTP parser ends a body only at its Content-Length, so a short body means the
      // connection is gone (on a half-closed socket Node itself has answered a bare 400). Nothing is stored.
      ctx.status = 400;
      ctx.type = 'application/xml';
      ctx.body =
        '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>IncompleteBody</Code><Message>You did not provide ' +
        'the number of bytes specified by the Content-Length HTTP header</Message></Error>';
      return;
    }
    ctx.req = new PassThrough().end(body);
    return next();
  };
}

/** The request body, or `undefined` when the connection ended before the body did. */
function wholeBody(request: Readable): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.once('end', () => resolve(Buffer.concat(chunks)));
    request.once('error', () => resolve(undefined));
    request.once('close', () => resolve(undefined));
  });
}

/**
 * s3rver writes a body into the object's (or part's) own file as it decodes it, so a body it refuses half-way
 * (an aws-chunked body shorter than its x-amz-decoded-content-length, answered IncompleteBody) still replaced
 * the previous version with what had been decoded. Ours writes beside the file and renames over it only once
 * the write has succeeded, as S3 swaps versions whole. (The temporary name does not end in `._S3rver_object`,
 * so listings never show it.)
 */
function writeContentWhole(store: S3rverInstance['store']): void {
  const putContent = store.putContent.bind(store);
  store.putContent = async (filePath, content) => {
    const incoming = `${filePath}.incoming-${randomUUID()}`;
    try {
      const written = await putContent(incoming, content);
      await rename(incoming, filePath);
      return written;
    } catch (error) {
      await unlink(incoming).catch(() => undefined);
      throw error;
    }
  };
}

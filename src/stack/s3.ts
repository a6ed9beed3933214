import { unlink } from 'node:fs/promises';
import path from 'node:path';
import type { LocalService } from './localService';
import { hostPort, httpAnswers } from './probe';
import { standInCommand } from './standInCommand';

/** A running S3-compatible server. */
export interface S3Server {
  /** `http://host:port`, for path-style S3 clients. */
  readonly endpoint: string;
  close(): Promise<void>;
}

interface S3rverInstance {
  run(): Promise<{ address: string; port: number }>;
  close(): Promise<void>;
  store: {
    deleteObject(bucket: string, key: string): Promise<void>;
    getResourcePath(bucket: string, key: string, resource: string): string;
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

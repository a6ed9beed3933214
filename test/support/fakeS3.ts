import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { S3Client } from '@aws-sdk/client-s3';

/** One request the fake S3 endpoint received, after path-style parsing. */
export interface S3Request {
  readonly method: string;
  readonly bucket: string;
  readonly key: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingMessage['headers'];
  readonly body: Buffer;
  /** `PutObject`, `CreateMultipartUpload`, `UploadPart`, … as the request shape implies. */
  readonly operation: string;
}

interface Upload {
  readonly bucket: string;
  readonly key: string;
  /** The `x-amz-checksum-algorithm` the upload was created with, if any. */
  readonly checksumAlgorithm?: string;
  readonly parts: Map<number, Buffer>;
}

/**
 * A tiny path-style S3 endpoint on 127.0.0.1 speaking the REST/XML protocol the SDK's S3Client uses
 * for the calls libreport makes (put, get, delete, multipart). It stores objects in memory and
 * records every request, so tests exercise the SDK's real serialization.
 */
export interface FakeS3 {
  readonly endpoint: string;
  readonly requests: S3Request[];
  /** Objects currently stored, keyed `bucket/key`. */
  readonly objects: Map<string, Buffer>;
  /** Every object body ever completed (put or multipart), keyed `bucket/key`; survives deletes. */
  readonly written: Map<string, Buffer>;
  /** Makes the next request with this operation fail with a 500 InternalError. */
  failNext(operation: string): void;
  client(): S3Client;
  close(): Promise<void>;
}

export async function startFakeS3(): Promise<FakeS3> {
  const requests: S3Request[] = [];
  const objects = new Map<string, Buffer>();
  const written = new Map<string, Buffer>();
  const uploads = new Map<string, Upload>();
  const failures = new Set<string>();
  let uploadCounter = 0;

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const [, bucket = '', ...rest] = url.pathname.split('/');
      const key = rest.map(decodeURIComponent).join('/');
      const method = req.method ?? 'GET';
      const body = decodeAwsChunked(Buffer.concat(chunks), req.headers);
      const operation = operationOf(method, url.searchParams, key);
      requests.push({ method, bucket, key, query: url.searchParams, headers: req.headers, body, operation });
      if (failures.delete(operation)) return xmlError(res, 500, 'InternalError', 'scripted failure');
      const name = `${bucket}/${key}`;
      switch (operation) {
        case 'PutObject':
          objects.set(name, body);
          written.set(name, body);
          res.writeHead(200, { ETag: '"put"' }).end();
          return;
        case 'GetObject': {
          const object = objects.get(name);
          if (!object) return xmlError(res, 404, 'NoSuchKey', 'The specified key does not exist.');
          res
            .writeHead(200, { 'Content-Length': object.length, 'Content-Type': 'application/octet-stream' })
            .end(object);
          return;
        }
        case 'DeleteObject':
          objects.delete(name);
          res.writeHead(204).end();
          return;
        case 'CreateMultipartUpload': {
          const uploadId = `upload-${++uploadCounter}`;
          const checksumAlgorithm = req.headers['x-amz-checksum-algorithm'] as string | undefined;
          uploads.set(uploadId, { bucket, key, checksumAlgorithm, parts: new Map() });
          xml(
            res,
            `<InitiateMultipartUploadResult><Bucket>${bucket}</Bucket><Key>${key}</Key><UploadId>${uploadId}</UploadId></InitiateMultipartUploadResult>`,
          );
          return;
        }
        case 'UploadPart': {
          const upload = uploads.get(url.searchParams.get('uploadId') ?? '');
          if (!upload) return xmlError(res, 404, 'NoSuchUpload', 'unknown upload');
          const partNumber = Number(url.searchParams.get('partNumber'));
          upload.parts.set(partNumber, body);
          const checksum = upload.checksumAlgorithm
            ? `x-amz-checksum-${upload.checksumAlgorithm.toLowerCase()}`
            : undefined;
          if (checksum && !req.headers[checksum]) {
            return xmlError(
              res,
              400,
              'InvalidRequest',
              `Checksum Type mismatch occurred, expected checksum Type: ${upload.checksumAlgorithm}`,
            );
          }
          res
            .writeHead(200, {
              ETag: `"part-${partNumber}"`,
              ...(checksum ? { [checksum]: req.headers[checksum] } : {}),
            })
            .end();
          return;
        }
        case 'CompleteMultipartUpload': {
          const uploadId = url.searchParams.get('uploadId') ?? '';
          const upload = uploads.get(uploadId);
          if (!upload) return xmlError(res, 404, 'NoSuchUpload', 'unknown upload');
          const text = body.toString('utf8');
          const listed = [...text.matchAll(/<PartNumber>(\d+)<\/PartNumber>/g)].map((m) => Number(m[1]));
          const tag = upload.checksumAlgorithm
            ? `<Checksum${upload.checksumAlgorithm.toUpperCase()}>`
            : undefined;
          if (tag && text.split(tag).length - 1 !== listed.length) {
            return xmlError(
              res,
              400,
              'InvalidRequest',
              `The upload was created using a ${upload.checksumAlgorithm} checksum. The complete request must include the checksum for each part.`,
            );
          }
          const data = Buffer.concat(listed.map((n) => upload.parts.get(n) ?? Buffer.alloc(0)));
          objects.set(name, data);
          written.set(name, data);
          uploads.delete(uploadId);
          xml(
            res,
            `<CompleteMultipartUploadResult><Bucket>${bucket}</Bucket><Key>${key}</Key><ETag>"done"</ETag></CompleteMultipartUploadResult>`,
          );
          return;
        }
        case 'AbortMultipartUpload':
          uploads.delete(url.searchParams.get('uploadId') ?? '');
          res.writeHead(204).end();
          return;
        default:
          xmlError(res, 400, 'NotImplemented', `the fake does not implement ${method} ${req.url}`);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clients: S3Client[] = [];

  return {
    endpoint,
    requests,
    objects,
    written,
    failNext: (operation) => void failures.add(operation),
    client() {
      const client = new S3Client({
        endpoint,
        region: 'ap-northeast-2',
        forcePathStyle: true,
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

function operationOf(method: string, query: URLSearchParams, key: string): string {
  if (method === 'POST' && query.has('uploads')) return 'CreateMultipartUpload';
  if (method === 'POST' && query.has('uploadId')) return 'CompleteMultipartUpload';
  if (method === 'PUT' && query.has('uploadId')) return 'UploadPart';
  if (method === 'DELETE' && query.has('uploadId')) return 'AbortMultipartUpload';
  if (method === 'PUT' && key) return 'PutObject';
  if (method === 'GET' && key) return 'GetObject';
  if (method === 'DELETE' && key) return 'DeleteObject';
  return `${method} bucket`;
}

/** Strips `aws-chunked` framing (used when the SDK streams a body with a trailing checksum). */
function decodeAwsChunked(raw: Buffer, headers: IncomingMessage['headers']): Buffer {
  const encoding = String(headers['content-encoding'] ?? '');
  if (
    !encoding
      .split(',')
      .map((s) => s.trim())
      .includes('aws-chunked')
  )
    return raw;
  const out: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = raw.indexOf('\r\n', at);
    if (lineEnd < 0) break;
    const size = parseInt(raw.subarray(at, lineEnd).toString('latin1').split(';')[0]!, 16);
    if (!size) break;
    out.push(raw.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(out);
}

function xml(res: ServerResponse, body: string): void {
  res
    .writeHead(200, { 'Content-Type': 'application/xml' })
    .end(`<?xml version="1.0" encoding="UTF-8"?>\n${body}`);
}

function xmlError(res: ServerResponse, status: number, code: string, message: string): void {
  res
    .writeHead(status, { 'Content-Type': 'application/xml' })
    .end(
      `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>fake</RequestId></Error>`,
    );
}

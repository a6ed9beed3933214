import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { endpointSettings } from '../../src/adapters/localEndpoints';
import { startS3Server, type S3Server } from '../../src/stack/s3';

const BUCKET = 'libreport-staging';

/**
 * The S3 stand-in refuses what S3 refuses: S3 stores an object only once its whole body has arrived, so a
 * PutObject whose connection ends before its Content-Length leaves the previous version (or no object), and one
 * whose aws-chunked body decodes to fewer bytes than x-amz-decoded-content-length is refused with IncompleteBody.
 * The short requests go over a raw socket: an SDK client never sends one on purpose, it only has its connection
 * cut under it (test/faults/redshiftOutage.test.ts, where a truncated checkpoint.json once made every retry fail).
 */
let server: S3Server;
let directory: string;
let client: S3Client;
let port: number;

beforeAll(async () => {
  directory = mkdtempSync(path.join(os.tmpdir(), 'libreport-s3-bodies-'));
  server = await startS3Server({ directory, buckets: [BUCKET] });
  port = Number(new URL(server.endpoint).port);
  client = new S3Client({
    region: 'ap-northeast-2',
    ...endpointSettings(server.endpoint, { pathStyle: true }),
  });
});

afterAll(async () => {
  client?.destroy();
  await server?.close();
  rmSync(directory, { recursive: true, force: true });
});

const checkpoint = (page: number) =>
  JSON.stringify({
    page,
    staged: Array.from({ length: page }, (_, i) => ({ page: i + 1, names: [`page-${i + 1}`] })),
  });

async function put(key: string, body: string): Promise<string> {
  const { ETag } = await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
  return ETag!;
}

async function get(key: string): Promise<{ body: string; etag: string } | 'NoSuchKey'> {
  try {
    const object = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    return { body: await object.Body!.transformToString(), etag: object.ETag! };
  } catch (error) {
    if ((error as { name?: string }).name === 'NoSuchKey') return 'NoSuchKey';
    throw error;
  }
}

async function listed(prefix: string): Promise<string[]> {
  const page = await client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));
  return (page.Contents ?? []).map((o) => o.Key!);
}

/**
 * Sends `PUT /<bucket>/<key>` with `headers` and `body`. With `cutAfter`, only that many bytes of the body are
 * sent and the connection is then dropped (as a proxy or a dead network drops it); otherwise the whole body is
 * sent and the answer's status line and body are returned.
 */
function rawPut(
  key: string,
  headers: Record<string, string>,
  body: Buffer,
  cutAfter?: number,
): Promise<{ status: string; body: string } | 'cut'> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (data: Buffer) => (answer += data.toString('utf8')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      if (cutAfter !== undefined) return resolve('cut');
      const [head = '', text = ''] = answer.split('\r\n\r\n');
      resolve({ status: head.split('\r\n')[0] ?? '', body: text });
    });
    socket.once('connect', () => {
      const head = Object.entries({ Host: `127.0.0.1:${port}`, Connection: 'close', ...headers })
        .map(([name, value]) => `${name}: ${value}`)
        .join('\r\n');
      socket.write(`PUT /${BUCKET}/${key} HTTP/1.1\r\n${head}\r\n\r\n`);
      if (cutAfter === undefined) {
        socket.write(body);
        return;
      }
      socket.write(body.subarray(0, cutAfter), (error) => {
        if (error) return reject(error);
        // Long enough for the stand-in to have read the part that was sent before the connection goes.
        setTimeout(() => socket.destroy(), 150);
      });
    });
  });
}

/** A body in S3's aws-chunked encoding (as SigV4 streaming uploads send it), signatures not checked here. */
function awsChunked(data: Buffer): Buffer {
  const signature = `;chunk-signature=${'0'.repeat(64)}\r\n`;
  return Buffer.concat([
    Buffer.from(`${data.length.toString(16)}${signature}`),
    data,
    Buffer.from(`\r\n0${signature}\r\n`),
  ]);
}

/** Files under the stand-in's directory that are not a stored object's content, MD5 or metadata. */
function strayFiles(): string[] {
  return readdirSync(directory, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && !/\._S3rver_(object|object\.md5|metadata\.json)$/.test(entry.name))
    .map((entry) => entry.name);
}

/** Gives the stand-in a moment to finish whatever it does with a request whose connection went. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 200));

describe('the S3 stand-in and request bodies shorter than they declare', () => {
  it('keeps the previous version when a PutObject connection ends part-way through its body', async () => {
    const key = 'run-1/segment-0/checkpoint.json';
    const previous = checkpoint(3);
    const etag = await put(key, previous);
    const next = Buffer.from(checkpoint(4));

    await rawPut(
      key,
      { 'Content-Length': String(next.length), 'Content-Type': 'application/json' },
      next,
      20,
    );
    await settle();

    expect(await get(key)).toEqual({ body: previous, etag });
  });

  it('stores no object when a PutObject to a new key is cut part-way through its body', async () => {
    const key = 'run-2/segment-0/checkpoint.json';
    const body = Buffer.from(checkpoint(2));

    await rawPut(key, { 'Content-Length': String(body.length) }, body, 20);
    await settle();

    expect(await get(key)).toBe('NoSuchKey');
    expect(await listed('run-2/')).toEqual([]);
  });

  it('keeps the previous version when an aws-chunked PutObject is cut inside a chunk', async () => {
    const key = 'run-3/segment-0/checkpoint.json';
    const previous = checkpoint(1);
    const etag = await put(key, previous);
    const data = Buffer.from(checkpoint(5));
    const body = awsChunked(data);
    const headers = {
      'Content-Length': String(body.length),
      'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
      'x-amz-decoded-content-length': String(data.length),
    };

    await rawPut(key, headers, body, 100);
    await settle();

    expect(await get(key)).toEqual({ body: previous, etag });
    // The cut request is over, not waiting forever for the rest of its body with a half-written file open.
    expect(strayFiles()).toEqual([]);
    await put(key, checkpoint(5));
    expect(await get(key)).toMatchObject({ body: checkpoint(5) });
  });

  it('refuses with IncompleteBody, storing nothing, an aws-chunked body shorter than x-amz-decoded-content-length', async () => {
    const key = 'run-4/segment-0/checkpoint.json';
    const previous = checkpoint(2);
    const etag = await put(key, previous);
    const data = Buffer.from(checkpoint(3));
    const body = awsChunked(data.subarray(0, 30));
    const headers = {
      'Content-Length': String(body.length),
      'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
      'x-amz-decoded-content-length': String(data.length),
    };

    const answer = await rawPut(key, headers, body);

    expect(answer).toMatchObject({ status: 'HTTP/1.1 400 Bad Request' });
    expect(answer !== 'cut' && answer.body).toContain('<Code>IncompleteBody</Code>');
    expect(await get(key)).toEqual({ body: previous, etag });
  });

  it('stores a complete body, declared plainly or aws-chunked, as before', async () => {
    const plain = Buffer.from(checkpoint(6));
    expect(await rawPut('run-5/plain.json', { 'Content-Length': String(plain.length) }, plain)).toMatchObject(
      {
        status: 'HTTP/1.1 200 OK',
      },
    );
    const chunked = awsChunked(plain);
    const headers = {
      'Content-Length': String(chunked.length),
      'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
      'x-amz-decoded-content-length': String(plain.length),
    };
    expect(await rawPut('run-5/chunked.json', headers, chunked)).toMatchObject({ status: 'HTTP/1.1 200 OK' });

    expect(await get('run-5/plain.json')).toMatchObject({ body: checkpoint(6) });
    expect(await get('run-5/chunked.json')).toMatchObject({ body: checkpoint(6) });
  });
});

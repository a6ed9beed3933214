import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { endpointSettings } from '../../../src/adapters/localEndpoints';
import { s3ReportStore } from '../../../src/adapters/reportStore/s3ReportStore';
import { ServiceUnavailableError } from '../../../src/errors';
import { startS3Server, type S3Server } from '../../../src/stack/s3';

/** The S3 report store against s3rver, the local stack's S3 stand-in, through the real SDK client. */
let server: S3Server;
let directory: string;
let client: S3Client;
const s3 = { client: () => client };

beforeAll(async () => {
  directory = mkdtempSync(path.join(os.tmpdir(), 'libreport-reports-s3-'));
  server = await startS3Server({ directory, buckets: ['libreport-reports'] });
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

describe('s3ReportStore', () => {
  it('puts the report under the prefix with its content type and reads it back', async () => {
    const store = s3ReportStore(s3.client(), 'libreport-reports', '/reports/');
    const html = '<p>검색 실패율 12.5%</p>';
    const location = await store.put('2024-05-01/report.html', html, 'text/html; charset=utf-8');

    expect(location).toBe('s3://libreport-reports/reports/2024-05-01/report.html');
    const head = await client.send(
      new HeadObjectCommand({ Bucket: 'libreport-reports', Key: 'reports/2024-05-01/report.html' }),
    );
    expect(head.ContentType).toBe('text/html; charset=utf-8');
    expect((await store.get('2024-05-01/report.html'))?.toString('utf8')).toBe(html);
  });

  it('stores binary bodies byte for byte', async () => {
    const store = s3ReportStore(s3.client(), 'libreport-reports', '');
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff]);
    expect(await store.put('day/chart.png', png, 'image/png')).toBe('s3://libreport-reports/day/chart.png');
    expect(await store.get('day/chart.png')).toEqual(png);
  });

  it('returns null for a missing report', async () => {
    expect(
      await s3ReportStore(s3.client(), 'libreport-reports', 'reports').get('nope/report.html'),
    ).toBeNull();
  });

  it('refuses keys that would leave the prefix', async () => {
    const store = s3ReportStore(s3.client(), 'libreport-reports', 'reports');
    await expect(store.put('../other/x.html', 'x', 'text/html')).rejects.toThrow(/not a report key/);
    const listed = await client.send(
      new ListObjectsV2Command({ Bucket: 'libreport-reports', Prefix: 'other' }),
    );
    expect(listed.Contents ?? []).toEqual([]);
  });

  it('reports an unreachable endpoint as ServiceUnavailableError', async () => {
    const client = new S3Client({
      endpoint: 'http://127.0.0.1:1',
      region: 'ap-northeast-2',
      forcePathStyle: true,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
    try {
      const store = s3ReportStore(client, 'libreport-reports', 'reports');
      await expect(store.put('day/report.html', 'x', 'text/html')).rejects.toBeInstanceOf(
        ServiceUnavailableError,
      );
    } finally {
      client.destroy();
    }
  });
});

import { S3Client } from '@aws-sdk/client-s3';
import { s3ReportStore } from '../../../src/adapters/reportStore/s3ReportStore';
import { ServiceUnavailableError } from '../../../src/errors';
import { startFakeS3, type FakeS3 } from '../../support/fakeS3';

let s3: FakeS3;

beforeEach(async () => {
  s3 = await startFakeS3();
});

afterEach(async () => {
  await s3.close();
});

describe('s3ReportStore', () => {
  it('puts the report under the prefix with its content type and reads it back', async () => {
    const store = s3ReportStore(s3.client(), 'libreport-reports', '/reports/');
    const html = '<p>검색 실패율 12.5%</p>';
    const location = await store.put('2024-05-01/report.html', html, 'text/html; charset=utf-8');

    expect(location).toBe('s3://libreport-reports/reports/2024-05-01/report.html');
    const put = s3.requests.find((r) => r.operation === 'PutObject')!;
    expect(put.bucket).toBe('libreport-reports');
    expect(put.key).toBe('reports/2024-05-01/report.html');
    expect(put.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(put.body.toString('utf8')).toBe(html);
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
    expect(s3.requests).toEqual([]);
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

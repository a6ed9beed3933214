import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { localReportStore } from '../../src/adapters/reportStore/localReportStore';
import { s3ReportStore } from '../../src/adapters/reportStore/s3ReportStore';
import {
  archiveEntry,
  parseManifest,
  renderArchiveIndex,
  updateArchiveIndex,
} from '../../src/report/archiveIndex';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { endpointSettings } from '../../src/adapters/localEndpoints';
import { startS3Server } from '../../src/stack/s3';
import { sampleReport } from './fixtures';

const day = (date: string, requests: number) => ({
  date,
  requests,
  failureRatePct: 12.5,
  booksPerChoosingSearch: 1.25,
});

describe('archive index', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'libreport-index-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('lists every archived day newest first with its headline numbers, a re-archived day once', async () => {
    const store = localReportStore(dir);
    await updateArchiveIndex(store, day('2024-05-02', 1200), 'ko');
    await updateArchiveIndex(store, day('2024-05-03', 1300), 'ko');
    await updateArchiveIndex(store, day('2024-05-01', 1100), 'ko');
    const location = await updateArchiveIndex(store, day('2024-05-02', 1250), 'ko');
    expect(location).toBe(path.join(dir, 'index.html'));

    const html = await readFile(location, 'utf8');
    const links = [...html.matchAll(/<a href="([^"]+)">/g)].map((m) => m[1]);
    expect(links).toEqual(['2024-05-03.html', '2024-05-02.html', '2024-05-01.html']);
    expect(html).toContain('1,250');
    expect(html).not.toContain('1,200');
    for (const label of ['사용자 요청 건수', '도서 검색 실패율', '평균 도서 선택 권수', '12.5%', '1.25']) {
      expect(html).toContain(label);
    }
  });

  it('takes its numbers from the report headline and shows a missing one as a dash', () => {
    const entry = archiveEntry('2024-05-01', sampleReport().headline);
    expect(entry).toEqual({
      date: '2024-05-01',
      requests: 1234,
      failureRatePct: 12.3,
      booksPerChoosingSearch: 1.25,
    });
    const html = renderArchiveIndex([{ ...entry, booksPerChoosingSearch: null }], 'en');
    expect(html).toContain('<td class="n">–</td>');
    expect(html).toContain('Daily app usage archive');
  });

  it('escapes what it shows and drops manifest rows that are not archived days', () => {
    const hostile = Buffer.from(
      JSON.stringify([
        { date: '"><script>alert(1)</script>', requests: 1 },
        { date: '2024-05-01', requests: '<b>' },
        'junk',
      ]),
    );
    const entries = parseManifest(hostile);
    expect(entries).toEqual([
      { date: '2024-05-01', requests: null, failureRatePct: null, booksPerChoosingSearch: null },
    ]);
    expect(parseManifest(Buffer.from('not json'))).toEqual([]);
    expect(renderArchiveIndex(entries, 'ko')).not.toMatch(/<script|<b>/);
  });

  it('writes the same index to S3 beside the reports', async () => {
    const directory = await mkdtemp(path.join(tmpdir(), 'libreport-index-s3-'));
    const server = await startS3Server({ directory, buckets: ['libreport-reports'] });
    const client = new S3Client({
      region: 'ap-northeast-2',
      ...endpointSettings(server.endpoint, { pathStyle: true }),
    });
    try {
      const store = s3ReportStore(client, 'libreport-reports', 'reports');
      await updateArchiveIndex(store, day('2024-05-01', 10), 'ko');
      const location = await updateArchiveIndex(store, day('2024-05-02', 20), 'ko');
      expect(location).toBe('s3://libreport-reports/reports/index.html');
      const page = (await store.get('index.html'))!.toString('utf8');
      expect([...page.matchAll(/<a href="([^"]+)">/g)].map((m) => m[1])).toEqual([
        '2024-05-02.html',
        '2024-05-01.html',
      ]);
      const head = await client.send(
        new HeadObjectCommand({ Bucket: 'libreport-reports', Key: 'reports/index.html' }),
      );
      expect(head.ContentType).toBe('text/html; charset=utf-8');
    } finally {
      client.destroy();
      await server.close();
      await rm(directory, { recursive: true, force: true });
    }
  });
});

import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { localReportStore } from '../../../src/adapters/reportStore/localReportStore';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'libreport-reports-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('localReportStore', () => {
  it('writes a report into nested folders it creates and reads it back', async () => {
    const store = localReportStore(path.join(dir, 'reports'));
    const html = '<h1>일일 앱 사용 결과 (2024-05-01)</h1>';
    const location = await store.put('2024-05-01/report.html', html, 'text/html; charset=utf-8');

    expect(location).toBe(path.join(dir, 'reports', '2024-05-01', 'report.html'));
    expect(await readFile(location, 'utf8')).toBe(html);
    expect((await store.get('2024-05-01/report.html'))?.toString('utf8')).toBe(html);
  });

  it('replaces an existing report and leaves no temporary files behind', async () => {
    const store = localReportStore(dir);
    await store.put('day/chart.png', Buffer.from([1, 2, 3]), 'image/png');
    await store.put('day/chart.png', Buffer.from([4, 5]), 'image/png');

    expect(await store.get('day/chart.png')).toEqual(Buffer.from([4, 5]));
    expect(await readdir(path.join(dir, 'day'))).toEqual(['chart.png']);
  });

  it('returns null for a report that was never stored', async () => {
    expect(await localReportStore(dir).get('2024-05-02/report.html')).toBeNull();
  });

  it.each(['../escape.html', '/etc/passwd', 'a/../../b', 'a//b', '', 'a\\b.html', 'day/./x'])(
    'refuses the key %p, which could leave the report folder',
    async (key) => {
      const store = localReportStore(path.join(dir, 'inner'));
      await expect(store.put(key, 'x', 'text/plain')).rejects.toThrow(/not a report key/);
      await expect(store.get(key)).rejects.toThrow(/not a report key/);
      expect(await readdir(dir)).toEqual([]);
    },
  );
});

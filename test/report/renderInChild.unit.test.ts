import * as childProcess from 'node:child_process';
import { MockActivityEnvironment } from '@temporalio/testing';
import { renderTimeLimitMs } from '../../src/activities/report';
import { RenderTimeoutError, UserInputError } from '../../src/errors';
import { renderReportInChild, spareRendererPid, warmRenderer } from '../../src/report/renderInChild';
import { renderReport } from '../../src/report/renderReport';
import { isAlive } from '../../src/stack/processes';
import { sampleReport } from './fixtures';

// The real fork, counted: which renders started a process of their own.
jest.mock('node:child_process', () => {
  const actual = jest.requireActual<typeof import('node:child_process')>('node:child_process');
  return { ...actual, fork: jest.fn(actual.fork) };
});
const forks = childProcess.fork as unknown as jest.Mock;

/** Resolves once the process with this pid has gone. */
async function exited(pid: number): Promise<void> {
  while (isAlive(pid)) await new Promise((resolve) => setTimeout(resolve, 20));
}

describe('renderReportInChild', () => {
  it('renders in a child process exactly what the renderer renders in-process, PNG attachments as Buffers', async () => {
    const data = sampleReport();
    const [child, local] = await Promise.all([
      renderReportInChild(data, { imageMode: 'cid' }),
      renderReport(data, { imageMode: 'cid' }),
    ]);
    expect(child.subject).toBe(local.subject);
    expect(child.html).toBe(local.html);
    expect(child.text).toBe(local.text);
    expect(child.images).toHaveLength(local.images.length);
    child.images.forEach((image, i) => {
      expect(Buffer.isBuffer(image.png)).toBe(true);
      expect(image.png.equals(local.images[i]!.png)).toBe(true);
      expect(image.cid).toBe(local.images[i]!.cid);
    });
  });

  it("keeps a renderer error's class across the process boundary, so it stays non-retryable", async () => {
    const rendering = renderReportInChild(sampleReport(), { imageMode: 'quickchart-url' });
    await expect(rendering).rejects.toThrow(UserInputError);
    await expect(rendering).rejects.toThrow(/quickChartUrl/);
  });

  it('queues more renders than it has slots and answers each with its own day', async () => {
    const days = ['2024-05-01', '2024-05-02', '2024-05-03', '2024-05-04'];
    const reports = await Promise.all(
      days.map((date) => renderReportInChild(sampleReport({ date }), { imageMode: 'inline-data-uri' })),
    );
    reports.forEach((report, i) => expect(report.subject).toContain(days[i]!));
  });

  it('stops a renderer past its time limit with an error saying so (retryable)', async () => {
    const rendering = renderReportInChild(sampleReport(), { imageMode: 'cid' }, 1);
    await expect(rendering).rejects.toThrow(RenderTimeoutError);
    await expect(rendering).rejects.toThrow(/did not finish within 1 ms/);
  });

  it('inside an activity, gives the renderer half the attempt, so it is killed before the attempt times out', async () => {
    const limit = (startToCloseTimeoutMs: number) =>
      new MockActivityEnvironment({ startToCloseTimeoutMs }).run(async () => renderTimeLimitMs());
    await expect(limit(120_000)).resolves.toBe(60_000);
    await expect(limit(30 * 60_000)).resolves.toBe(90_000);
  });

  describe('a renderer warmed ahead of its request', () => {
    beforeEach(() => forks.mockClear());

    it('serves the next render, which then starts no process of its own', async () => {
      warmRenderer();
      const pid = spareRendererPid()!;
      expect(pid).toEqual(expect.any(Number));
      const report = await renderReportInChild(sampleReport(), { imageMode: 'cid' });
      expect(report.subject).toContain(sampleReport().date);
      expect(forks).toHaveBeenCalledTimes(1);
      expect(spareRendererPid()).toBeUndefined();
      await exited(pid);
    });

    it('is stopped when no render takes it within its idle time', async () => {
      warmRenderer(50);
      const pid = spareRendererPid()!;
      await exited(pid);
      expect(spareRendererPid()).toBeUndefined();
    });

    it('is not used once it has died: the render starts its own renderer', async () => {
      warmRenderer();
      const pid = spareRendererPid()!;
      process.kill(pid, 'SIGKILL');
      await exited(pid);
      const report = await renderReportInChild(sampleReport(), { imageMode: 'cid' });
      expect(report.subject).toContain(sampleReport().date);
      expect(forks).toHaveBeenCalledTimes(2);
    });

    it('is one at most: warming again while one waits starts nothing', async () => {
      warmRenderer();
      const pid = spareRendererPid()!;
      warmRenderer();
      expect(spareRendererPid()).toBe(pid);
      expect(forks).toHaveBeenCalledTimes(1);
      process.kill(pid, 'SIGKILL');
      await exited(pid);
    });
  });
});

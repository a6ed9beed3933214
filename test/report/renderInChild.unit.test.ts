import { MockActivityEnvironment } from '@temporalio/testing';
import { renderTimeLimitMs } from '../../src/activities/report';
import { RenderTimeoutError, UserInputError } from '../../src/errors';
import { renderReportInChild } from '../../src/report/renderInChild';
import { renderReport } from '../../src/report/renderReport';
import { sampleReport } from './fixtures';

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
});

import { UserInputError } from '../../src/errors';
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
});

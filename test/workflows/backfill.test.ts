import { createActivities } from '../../src/activities';
import { daysBetween } from '../../src/domain/reportDate';
import { activitySettings } from '../../src/worker/ports';
import { backfill, backfillWorkflowId } from '../../src/workflows/backfill';
import { WAREHOUSE_KINDS } from '../support/pipeline';
import { backfillInput as input, useBackfillHarness } from './backfillHarness';

/** A backfill's days: how many run at once, which days it re-runs (`reprocess`), and whether it emails. */
describe.each(WAREHOUSE_KINDS)(
  'backfill on the %s warehouse: child daily runs with bounded concurrency, what it re-runs and whom it emails',
  (kind) => {
    const harness = useBackfillHarness('backfill', kind, [
      ...daysBetween('2024-03-01', '2024-03-10'),
      ...daysBetween('2024-07-01', '2024-07-04'),
      '2024-07-10',
    ]);
    const { auditedDays, emailsFor, startWorker } = harness;

    it('backfills 7 days two at a time, loading each once and emailing nobody', async () => {
      let active = 0;
      let mostActive = 0;
      const real = createActivities(harness.h.ports, activitySettings(harness.h.config));
      const worker = await startWorker({
        ...real,
        // A successful prepareRun opens a day's load and dropStaging closes it: their overlap is the days in
        // flight (an attempt that failed and was retried opened nothing).
        async prepareRun(args) {
          const run = await real.prepareRun(args);
          mostActive = Math.max(mostActive, ++active);
          return run;
        },
        async dropStaging(args) {
          active--;
          return real.dropStaging(args);
        },
      });
      try {
        const result = await harness.env.client.workflow.execute(backfill, {
          taskQueue: worker.taskQueue,
          workflowId: backfillWorkflowId('seven-days'),
          args: [input('seven-days', { ranges: [{ from: '2024-03-01', to: '2024-03-07' }] })],
        });
        expect(result.status).toBe('completed');
        expect([...result.done].sort()).toEqual(daysBetween('2024-03-01', '2024-03-07'));
        expect(result.failed).toEqual([]);
        expect(result.pending).toEqual([]);
        expect(mostActive).toBeLessThanOrEqual(2);
        expect(mostActive).toBeGreaterThan(0);
        const audit = await auditedDays('2024-03-01', '2024-03-10');
        expect(audit).toEqual(
          Object.fromEntries(daysBetween('2024-03-01', '2024-03-07').map((d) => [d, ['loaded']])),
        );
        const [loaded] = await harness.inspect.query<{ n: string }>(
          `SELECT COUNT(*) AS n FROM dw.search_query WHERE query_date BETWEEN '2024-03-01' AND '2024-03-07'`,
        );
        expect(Number(loaded!.n)).toBe(7 * 20);
        expect(await emailsFor('2024-03-01', '2024-03-07')).toBe(0);
      } finally {
        await worker.stop();
      }
    });

    it('follows the reprocess rule: none skips audited days, failed re-runs only days whose last load failed', async () => {
      const worker = await startWorker();
      try {
        // 07-01…07-03 loaded; then 07-02, as if re-run, failed reconciliation: its last outcome is a failure.
        // 07-04 was never loaded.
        const loaded = await harness.env.client.workflow.execute(backfill, {
          taskQueue: worker.taskQueue,
          workflowId: backfillWorkflowId('reprocess-arrange'),
          args: [input('reprocess-arrange', { ranges: [{ from: '2024-07-01', to: '2024-07-03' }] })],
        });
        expect([...loaded.done].sort()).toEqual(daysBetween('2024-07-01', '2024-07-03'));
        await harness.inspect.query(
          `INSERT INTO dw.load_audit (run_id, query_date, started_at, finished_at, outcome, summary)
       VALUES ('fake-run', '2024-07-02', NOW(), NOW(), 'reconciliation_failed', '{}')`,
        );

        const none = await harness.env.client.workflow.execute(backfill, {
          taskQueue: worker.taskQueue,
          workflowId: backfillWorkflowId('reprocess-none'),
          args: [input('reprocess-none', { ranges: [{ from: '2024-07-01', to: '2024-07-02' }] })],
        });
        expect(none.done).toEqual([]);
        expect(none.skipped).toEqual([
          { date: '2024-07-01', reason: 'already processed (last load: loaded)' },
          { date: '2024-07-02', reason: 'already processed (last load: reconciliation_failed)' },
        ]);

        const since = new Date();
        const failed = await harness.env.client.workflow.execute(backfill, {
          taskQueue: worker.taskQueue,
          workflowId: backfillWorkflowId('reprocess-failed'),
          args: [
            input('reprocess-failed', {
              ranges: [{ from: '2024-07-02', to: '2024-07-04' }],
              reprocess: 'failed',
            }),
          ],
        });
        expect([...failed.done].sort()).toEqual(['2024-07-02', '2024-07-04']);
        expect(failed.skipped).toEqual([{ date: '2024-07-03', reason: 'already loaded' }]);
        expect(await auditedDays('2024-07-02', '2024-07-04', since)).toEqual({
          '2024-07-02': ['loaded'],
          '2024-07-04': ['loaded'],
        });
      } finally {
        await worker.stop();
      }
    });

    it('emails staff when asked to', async () => {
      const worker = await startWorker();
      try {
        const result = await harness.env.client.workflow.execute(backfill, {
          taskQueue: worker.taskQueue,
          workflowId: backfillWorkflowId('with-email'),
          args: [input('with-email', { ranges: [{ from: '2024-07-10', to: '2024-07-10' }], email: 'send' })],
        });
        expect(result.done).toEqual(['2024-07-10']);
        expect(await emailsFor('2024-07-10', '2024-07-10')).toBe(1);
      } finally {
        await worker.stop();
      }
    });
  },
);

import { createActivities } from '../../src/activities';
import { daysBetween } from '../../src/domain/reportDate';
import { activitySettings } from '../../src/worker/ports';
import { addRange, cancel, pause, progress, resume } from '../../src/workflows/backfill';
import { WAREHOUSE_KINDS } from '../support/pipeline';
import { backfillInput as input, useBackfillHarness, waitFor } from './backfillHarness';

/** A running backfill's signals: addRange (idempotent), pause, resume and cancel. */
describe.each(WAREHOUSE_KINDS)('backfill on the %s warehouse: driven by signals', (kind) => {
  const harness = useBackfillHarness('backfill_signals', kind, [
    ...daysBetween('2024-04-01', '2024-04-05'),
    ...daysBetween('2024-05-01', '2024-05-04'),
  ]);
  const { auditedDays, startPaused, startWorker } = harness;

  it('adds only the new days of an overlapping range, however often it is signalled', async () => {
    const worker = await startWorker();
    try {
      const handle = await startPaused(
        worker.taskQueue,
        input('overlap', { ranges: [{ from: '2024-04-01', to: '2024-04-03' }], reprocess: 'all' }),
      );
      await waitFor(
        () => handle.query(progress),
        (p) => p.pending.length === 3 && p.status === 'paused',
        'three pending days',
      );
      await handle.signal(addRange, { from: '2024-04-02', to: '2024-04-05' });
      await handle.signal(addRange, { from: '2024-04-02', to: '2024-04-05' });
      await handle.signal(addRange, { from: '2024-04-01', to: '2024-04-01' });
      const before = await waitFor(
        () => handle.query(progress),
        (p) => p.total === 5,
        'five covered days',
      );
      expect(before.pending).toEqual(daysBetween('2024-04-01', '2024-04-05'));
      expect(before.running).toEqual([]);

      const since = new Date();
      await handle.signal(resume);
      const result = await handle.result();
      expect(result.status).toBe('completed');
      expect([...result.done].sort()).toEqual(daysBetween('2024-04-01', '2024-04-05'));
      // One run per day, not one per signal.
      expect(await auditedDays('2024-04-01', '2024-04-05', since)).toEqual(
        Object.fromEntries(daysBetween('2024-04-01', '2024-04-05').map((d) => [d, ['loaded']])),
      );
    } finally {
      await worker.stop();
    }
  });

  it('pauses between days, resumes, and cancels the running day and everything pending', async () => {
    // The scan of 05-02 waits at a gate, so that day is reliably "running" while the test acts.
    let openGate!: () => void;
    const gate = new Promise<void>((resolve) => (openGate = resolve));
    const real = createActivities(harness.h.ports, activitySettings(harness.h.config));
    const worker = await startWorker({
      ...real,
      async scanSegment(args) {
        if (args.date === '2024-05-02') await gate;
        return real.scanSegment(args);
      },
    });
    try {
      const handle = await startPaused(
        worker.taskQueue,
        input('pause-cancel', { ranges: [{ from: '2024-05-01', to: '2024-05-04' }], concurrency: 1 }),
      );
      const paused = await waitFor(
        () => handle.query(progress),
        (p) => p.pending.length === 4,
        'checked days',
      );
      expect(paused.status).toBe('paused');
      expect(paused.running).toEqual([]);

      await handle.signal(resume);
      const second = await waitFor(
        () => handle.query(progress),
        (p) => p.running[0] === '2024-05-02',
        'the second day to start',
      );
      expect(second.done).toEqual(['2024-05-01']);
      expect(second.status).toBe('running');

      await handle.signal(pause);
      const held = await waitFor(
        () => handle.query(progress),
        (p) => p.status === 'paused',
        'pause',
      );
      // Pausing lets the running day go on and holds the rest.
      expect(held.running).toEqual(['2024-05-02']);
      expect(held.pending).toEqual(['2024-05-03', '2024-05-04']);

      await handle.signal(cancel);
      const result = await handle.result();
      expect(result.status).toBe('cancelled');
      expect(result.done).toEqual(['2024-05-01']);
      expect([...result.cancelled].sort()).toEqual(['2024-05-02', '2024-05-03', '2024-05-04']);
      expect(result.running).toEqual([]);
      expect(await auditedDays('2024-05-01', '2024-05-04')).toEqual({ '2024-05-01': ['loaded'] });
      const child = await harness.env.client.workflow.getHandle('daily-report-2024-05-02').describe();
      expect(child.status.name).toBe('CANCELLED');
    } finally {
      openGate();
      await worker.stop();
    }
  });
});

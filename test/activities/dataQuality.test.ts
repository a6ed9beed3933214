import { UserInputError } from '../../src/errors';
import { DAY } from './martFixture';
import { EMPTY_DAY, UNREFRESHED_DAY, useMartWarehouse } from './martWarehouse';

/** checkDataQuality: the gate that holds back a delayed or anomalous day. */

const suite = useMartWarehouse('dataquality');

describe('checkDataQuality', () => {
  it('holds back a day whose load did not reconcile, as delayed', async () => {
    const verdict = await suite.mart.checkDataQuality({ date: DAY, loadOutcome: 'reconciliation_failed' });
    expect(verdict).toMatchObject({ ok: false, kind: 'delayed', requests: 7 });
    expect(verdict.reason).toMatch(/did not reconcile/);
  });

  it('holds back a day with no requests, or with no mart row, as delayed', async () => {
    expect(await suite.mart.checkDataQuality({ date: EMPTY_DAY, loadOutcome: 'loaded' })).toMatchObject({
      ok: false,
      kind: 'delayed',
      requests: 0,
      reason: expect.stringMatching(/no search requests/),
    });
    expect(await suite.mart.checkDataQuality({ date: UNREFRESHED_DAY, loadOutcome: 'loaded' })).toMatchObject(
      {
        ok: false,
        kind: 'delayed',
        requests: 0,
      },
    );
  });

  it('flags a day far above or below the median of its previous seven days as an anomaly', async () => {
    const high = await suite.mart.checkDataQuality({ date: '2024-09-08', loadOutcome: 'loaded' });
    expect(high).toMatchObject({ ok: false, kind: 'anomaly', requests: 100, baseline: 10 });
    expect(high.reason).toMatch(/100 requests, 10× the median of the 7 previous days \(10\)/);

    // 2024-09-10's previous seven days are 09-03…09-09: median of 10, 11, 12, 30, 8, 100, 10 is 11.
    const low = await suite.mart.checkDataQuality({ date: '2024-09-10', loadOutcome: 'loaded' });
    expect(low).toMatchObject({ ok: false, kind: 'anomaly', requests: 2, baseline: 11 });
  });

  it('passes a normal day, and a day with too little history to judge', async () => {
    expect(await suite.mart.checkDataQuality({ date: '2024-09-09', loadOutcome: 'loaded' })).toEqual({
      ok: true,
      requests: 10,
      baseline: 11,
    });
    // Only two earlier days: no baseline, so even a 2× jump passes.
    expect(await suite.mart.checkDataQuality({ date: '2024-09-03', loadOutcome: 'loaded' })).toEqual({
      ok: true,
      requests: 10,
      baseline: null,
    });
  });

  it('takes the anomaly factor as an input', async () => {
    expect(
      await suite.mart.checkDataQuality({ date: '2024-09-08', loadOutcome: 'loaded', anomalyFactor: 20 }),
    ).toMatchObject({
      ok: true,
      baseline: 10,
    });
    await expect(
      suite.mart.checkDataQuality({ date: '2024-09-08', loadOutcome: 'loaded', anomalyFactor: 0.5 }),
    ).rejects.toBeInstanceOf(UserInputError);
  });
});

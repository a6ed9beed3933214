import {
  coveredDays,
  emptyBackfillState,
  failureReason,
  sortChecked,
  statusOf,
} from '../../src/workflows/backfillState';

describe("a backfill's bookkeeping", () => {
  it('sorts checked days by the reprocess rule', () => {
    const outcomes = new Map([
      ['2024-03-02', 'loaded'],
      ['2024-03-03', 'reconciliation_failed'],
    ]);
    const days = ['2024-03-01', '2024-03-02', '2024-03-03'];
    const none = emptyBackfillState();
    sortChecked(none, days, outcomes, 'none');
    expect(none.pending).toEqual(['2024-03-01']);
    expect(none.skipped.map((s) => s.reason)).toEqual([
      'already processed (last load: loaded)',
      'already processed (last load: reconciliation_failed)',
    ]);
    const failed = emptyBackfillState();
    sortChecked(failed, days, outcomes, 'failed');
    expect(failed.pending).toEqual(['2024-03-01', '2024-03-03']);
    expect(failed.skipped).toEqual([{ date: '2024-03-02', reason: 'already loaded' }]);
  });

  it('covers days in every state, and reports the status a progress query shows', () => {
    const state = { ...emptyBackfillState(), pending: ['2024-03-02'], done: ['2024-03-01'] };
    state.failed.push({ date: '2024-03-03', reason: 'x' });
    expect([...coveredDays(state)].sort()).toEqual(['2024-03-01', '2024-03-02', '2024-03-03']);
    expect(statusOf(state, 0)).toBe('running');
    expect(statusOf({ ...state, paused: true }, 1)).toBe('paused');
    expect(statusOf({ ...state, cancelRequested: true }, 1)).toBe('cancelling');
    expect(statusOf({ ...emptyBackfillState(), done: ['2024-03-01'] }, 0)).toBe('completed');
  });

  it("names a failed day's innermost cause", () => {
    const error = new Error('child failed', {
      cause: new Error('activity failed', { cause: new Error('boom') }),
    });
    expect(failureReason(error)).toBe('boom');
  });
});

// The workflow bundle's entry point: every workflow the worker runs.
export { dailyReport } from './dailyReport';
export { backfill } from './backfill';
export { scheduledDailyReport } from './scheduledDailyReport';
export { resendReport } from './resendReport';
export { sweepUndated } from './sweepUndated';

import type { Rds } from '../adapters/rds/port';
import type { Warehouse } from '../adapters/warehouse/port';
import { createRdsActivities } from './extractRds';
import { createLoadDayActivities } from './loadDay';
import { createStagingActivities } from './staging';

export type { ExtractRdsInput, RdsCounts } from './extractRds';
export { RDS_PAGE_ROWS } from './extractRds';
export type { LoadDayInput, LoadSummary } from './loadDay';
export type { PrepareRunInput } from './staging';

/**
 * The warehouse side of a day's run, in the order the workflow calls it: `migrateWarehouse` and `prepareRun`
 * (staging.ts), `extractRds` (extractRds.ts), `loadDay` with its reconciliation (loadDay.ts,
 * reconciliation.ts), and `dropStaging` (staging.ts).
 */
export function createLoadActivities(deps: { warehouse: Warehouse; rds: Rds; timeZone: string }) {
  return {
    ...createStagingActivities(deps),
    ...createRdsActivities(deps),
    ...createLoadDayActivities(deps),
  };
}

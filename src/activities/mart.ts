import type { Warehouse } from '../adapters/warehouse/port';
import { createDataQualityActivities } from './dataQuality';
import { createMartRefreshActivities } from './martRefresh';
import { readReportData, type ReadReportDataInput } from './reportData';

export { readReportData, type ReadReportDataInput } from './reportData';
export { DEFAULT_ANOMALY_FACTOR, type CheckDataQualityInput, type DataQualityVerdict } from './dataQuality';
export type { RefreshMartInput, RefreshMartResult } from './martRefresh';

/**
 * The mart's activities: its refresh (martRefresh.ts), the data-quality gate that reads it (dataQuality.ts) and
 * the report's read model (reportData.ts).
 */
export function createMartActivities(deps: { warehouse: Warehouse; timeZone?: string }) {
  return {
    ...createMartRefreshActivities(deps),
    readReportData: (input: ReadReportDataInput) => readReportData(deps.warehouse, input),
    ...createDataQualityActivities(deps),
  };
}

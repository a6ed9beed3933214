import type { SearchTable } from '../adapters/dynamo/port';
import type { Mailer } from '../adapters/mailer/port';
import type { Rds } from '../adapters/rds/port';
import type { ReportStore } from '../adapters/reportStore/port';
import type { Warehouse } from '../adapters/warehouse/port';
import type { ReportLocale } from '../report';
import { warmRenderer } from '../report/renderInChild';
import { createBackfillQueryActivities } from './backfillQueries';
import { createDeliveryActivities } from './delivery';
import { createExtractActivities } from './extract';
import { createLoadActivities } from './load';
import { createMartActivities, type RefreshMartInput } from './mart';
import { createReportActivities } from './report';
import { createSweepActivities } from './sweep';

/** The outside systems activities talk to. Only the worker builds these; tests pass real local ones. */
export interface ActivityPorts {
  readonly searchTable: SearchTable;
  readonly warehouse: Warehouse;
  readonly rds: Rds;
  readonly mailer: Mailer;
  readonly reportStore: ReportStore;
}

/** The few configuration values activities need, taken from `Config` by the worker. */
export interface ActivitySettings {
  readonly timeZone: string;
  readonly locale: ReportLocale;
  readonly sender: string;
  readonly alertTo?: string;
  readonly uiUrl?: string;
  readonly quickChartUrl?: string;
}

export function createActivities(ports: ActivityPorts, settings: ActivitySettings) {
  // Mart hours are hours of the report's time zone: a worker setting, not a workflow input.
  const mart = createMartActivities({ warehouse: ports.warehouse, timeZone: settings.timeZone });
  return {
    ...createExtractActivities(ports),
    ...createLoadActivities({ ...ports, timeZone: settings.timeZone }),
    ...mart,
    // The render that follows a refresh starts with ~0.5 s of loading its child; that loading runs now, while
    // the refresh's SQL leaves this worker idle (at 1M items the refresh takes ~4.5 s). A day whose render
    // runs on another worker, or never, costs the spare's start-up and nothing else.
    refreshMart: (input: RefreshMartInput) => {
      warmRenderer();
      return mart.refreshMart(input);
    },
    ...createReportActivities({ ...ports, locale: settings.locale, quickChartUrl: settings.quickChartUrl }),
    ...createDeliveryActivities({ ...ports, ...settings }),
    ...createBackfillQueryActivities(ports),
    ...createSweepActivities(ports),
  };
}

export type Activities = ReturnType<typeof createActivities>;

import type { SearchTable } from '../adapters/dynamo/port';
import type { Rds } from '../adapters/rds/port';
import type { Warehouse } from '../adapters/warehouse/port';
import { createExtractActivities } from './extract';
import { createLoadActivities } from './load';

/** The outside systems activities talk to. Only the worker builds these; tests pass real local ones. */
export interface ActivityPorts {
  readonly searchTable: SearchTable;
  readonly warehouse: Warehouse;
  readonly rds: Rds;
  readonly timeZone: string;
}

export function createActivities(ports: ActivityPorts) {
  return {
    ...createExtractActivities(ports),
    ...createLoadActivities(ports),
  };
}

export type Activities = ReturnType<typeof createActivities>;

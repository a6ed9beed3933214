import { createDynamoClient, dynamoSearchTable } from '../adapters/dynamo/dynamoSearchTable';
import { pgRds } from '../adapters/rds/pgRds';
import { createPgPool, pgWarehouse } from '../adapters/warehouse/pgWarehouse';
import type { Warehouse } from '../adapters/warehouse/port';
import type { ActivityPorts } from '../activities';
import type { Config } from '../config/config';

export interface Ports extends ActivityPorts {
  close(): Promise<void>;
}

/** Builds the real adapters the configuration names. The only place that chooses AWS or local. */
export function createPorts(config: Config): Ports {
  const dynamoSettings = { endpoint: config.dynamo.endpoint, region: config.aws.region, table: config.dynamo.table };
  const dynamoClient = createDynamoClient(dynamoSettings);
  const warehouse = createWarehouse(config);
  const rds = pgRds(createPgPool(config.rds.url));
  return {
    searchTable: dynamoSearchTable(dynamoClient, dynamoSettings),
    warehouse,
    rds,
    timeZone: config.report.timeZone,
    async close() {
      dynamoClient.destroy();
      await Promise.allSettled([warehouse.close(), rds.close()]);
    },
  };
}

function createWarehouse(config: Config): Warehouse {
  if (config.warehouse.kind === 'pg') return pgWarehouse(createPgPool(config.warehouse.url));
  throw new Error('the redshift-data warehouse is not wired yet');
}

import { createDynamoClient, dynamoSearchTable } from '../adapters/dynamo/dynamoSearchTable';
import { createSesClient, sesMailer } from '../adapters/mailer/sesMailer';
import { pgRds } from '../adapters/rds/pgRds';
import { S3Client } from '@aws-sdk/client-s3';
import { localReportStore } from '../adapters/reportStore/localReportStore';
import type { ReportStore } from '../adapters/reportStore/port';
import { s3ReportStore } from '../adapters/reportStore/s3ReportStore';
import { createPgPool, pgWarehouse } from '../adapters/warehouse/pgWarehouse';
import type { Warehouse } from '../adapters/warehouse/port';
import { createRedshiftDataWarehouse } from '../adapters/warehouse/redshiftDataWarehouse';
import type { ActivityPorts, ActivitySettings } from '../activities';
import type { Config } from '../config/config';
import { endpointSettings } from '../adapters/localEndpoints';

export interface Ports extends ActivityPorts {
  close(): Promise<void>;
}

/** Builds the real adapters the configuration names. The only place that chooses AWS or local. */
export function createPorts(config: Config): Ports {
  const dynamoSettings = {
    endpoint: config.dynamo.endpoint,
    region: config.aws.region,
    table: config.dynamo.table,
  };
  const dynamoClient = createDynamoClient(dynamoSettings);
  const sesSettings = { endpoint: config.ses.endpoint, region: config.ses.region };
  const sesClient = createSesClient(sesSettings);
  const warehouse = createWarehouse(config);
  const rds = pgRds(createPgPool(config.rds.url));
  return {
    searchTable: dynamoSearchTable(dynamoClient, dynamoSettings),
    warehouse,
    rds,
    mailer: sesMailer(sesClient, sesSettings),
    reportStore: createReportStore(config),
    async close() {
      dynamoClient.destroy();
      sesClient.destroy();
      await Promise.allSettled([warehouse.close(), rds.close()]);
    },
  };
}

/** The configuration values activities need. */
export function activitySettings(config: Config): ActivitySettings {
  return {
    timeZone: config.report.timeZone,
    locale: config.report.locale,
    sender: config.ses.sender,
    alertTo: config.ses.alertTo,
    uiUrl: config.temporal.uiUrl,
    quickChartUrl: config.report.quickChartUrl,
  };
}

function createReportStore(config: Config): ReportStore {
  const { s3Bucket, s3Prefix, dir } = config.report;
  return s3Bucket
    ? s3ReportStore(
        new S3Client({
          region: config.aws.region,
          ...endpointSettings(config.s3.endpoint, { pathStyle: true }),
        }),
        s3Bucket,
        s3Prefix,
      )
    : localReportStore(dir);
}

/** The warehouse the configuration names (for commands that read only the warehouse). */
export function createWarehouse(config: Config): Warehouse {
  return config.warehouse.kind === 'pg'
    ? // One connection per activity slot: a scan segment holds one through each page's transaction, and a
      // segment waiting for a connection leaves its share of the scan idle.
      pgWarehouse(createPgPool(config.warehouse.url, { max: config.worker.maxConcurrentActivities }))
    : createRedshiftDataWarehouse(config);
}

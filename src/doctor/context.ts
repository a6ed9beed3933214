import { S3Client } from '@aws-sdk/client-s3';
import { endpointSettings } from '../adapters/localEndpoints';
import type { Client } from '@temporalio/client';
import { createDynamoClient } from '../adapters/dynamo/dynamoSearchTable';
import { createSesClient } from '../adapters/mailer/sesMailer';
import { pgRds } from '../adapters/rds/pgRds';
import type { Rds } from '../adapters/rds/port';
import { createPgPool, pgWarehouse } from '../adapters/warehouse/pgWarehouse';
import type { Warehouse } from '../adapters/warehouse/port';
import { createRedshiftDataWarehouse } from '../adapters/warehouse/redshiftDataWarehouse';
import type { Config } from '../config/config';
import { connectClient } from '../temporal/connection';
import type { DoctorContext } from './check';

/** The real clients for `config`, made lazily; `close()` closes the ones that were made. */
export function createDoctorContext(config: Config): DoctorContext & { close(): Promise<void> } {
  const made: { close(): Promise<void> | void }[] = [];
  const once = <T>(make: () => T, close: (value: T) => Promise<void> | void) => {
    let value: T | undefined;
    return () => {
      if (value === undefined) {
        const created = make();
        value = created;
        made.push({ close: () => close(created) });
      }
      return value;
    };
  };
  return {
    config,
    temporal: once<Promise<Client>>(
      () => connectClient(config),
      (client) => client.then((c) => c.connection.close()).catch(() => undefined),
    ),
    dynamo: once(
      () =>
        createDynamoClient({
          endpoint: config.dynamo.endpoint,
          region: config.aws.region,
          table: config.dynamo.table,
        }),
      (client) => client.destroy(),
    ),
    // One connection is plenty for a few probes.
    warehouse: once<Warehouse>(
      () =>
        config.warehouse.kind === 'pg'
          ? pgWarehouse(createPgPool(config.warehouse.url, { max: 1 }))
          : createRedshiftDataWarehouse(config),
      (w) => w.close(),
    ),
    rds: once<Rds>(
      () => pgRds(createPgPool(config.rds.url, { max: 1 })),
      (r) => r.close(),
    ),
    ses: once(
      () => createSesClient({ endpoint: config.ses.endpoint, region: config.ses.region }),
      (c) => c.destroy(),
    ),
    s3: once(
      () =>
        new S3Client({
          region: config.aws.region,
          maxAttempts: 2,
          ...endpointSettings(config.s3.endpoint, { pathStyle: true }),
        }),
      (c) => c.destroy(),
    ),
    async close() {
      await Promise.allSettled(made.map((m) => m.close()));
    },
  };
}

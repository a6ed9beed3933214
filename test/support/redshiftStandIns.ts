import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { S3Client } from '@aws-sdk/client-s3';
import { endpointSettings } from '../../src/adapters/localEndpoints';
import { LOCAL_REDSHIFT } from '../../src/config/config';
import { startRedshiftDataServer, type RedshiftDataServerOptions } from '../../src/stack/redshiftData/server';
import { startS3Server } from '../../src/stack/s3';

/** The AWS path's stand-ins for one test file: s3rver and the Redshift Data API endpoint on free ports. */
export interface RedshiftStandIns {
  readonly endpoint: string;
  readonly s3Endpoint: string;
  readonly stagingBucket: string;
  /** Environment for `testStackConfig` that points the `redshift-data` warehouse at these stand-ins. */
  readonly env: NodeJS.ProcessEnv;
  /** A real SDK client for the endpoint (destroyed by `close`). */
  dataClient(options?: { maxAttempts?: number }): RedshiftDataClient;
  /** A real SDK client for the S3 stand-in (destroyed by `close`). */
  s3Client(): S3Client;
  close(): Promise<void>;
}

/**
 * Starts s3rver (objects under a temporary folder, `buckets` created) and the Redshift Data API endpoint on
 * `engineUrl`, both on ephemeral loopback ports. Call `close()` in `afterAll`.
 */
export async function startRedshiftStandIns(
  engineUrl: string,
  options: { buckets?: readonly string[] } & Partial<RedshiftDataServerOptions> = {},
): Promise<RedshiftStandIns> {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'libreport-s3-'));
  const buckets = options.buckets ?? [LOCAL_REDSHIFT.stagingBucket];
  const s3 = await startS3Server({ directory, buckets });
  const redshift = await startRedshiftDataServer({ ...options, engineUrl, s3Endpoint: s3.endpoint });
  const clients: { destroy(): void }[] = [];
  return {
    endpoint: redshift.endpoint,
    s3Endpoint: s3.endpoint,
    stagingBucket: buckets[0]!,
    env: {
      WAREHOUSE_KIND: 'redshift-data',
      WAREHOUSE_URL: engineUrl,
      REDSHIFT_DATA_ENDPOINT: redshift.endpoint,
      S3_ENDPOINT: s3.endpoint,
      STAGING_S3_BUCKET: buckets[0]!,
    },
    dataClient(clientOptions = {}) {
      const client = new RedshiftDataClient({
        region: 'ap-northeast-2',
        maxAttempts: clientOptions.maxAttempts ?? 1,
        ...endpointSettings(redshift.endpoint),
      });
      clients.push(client);
      return client;
    },
    s3Client() {
      const client = new S3Client({
        region: 'ap-northeast-2',
        ...endpointSettings(s3.endpoint, { pathStyle: true }),
      });
      clients.push(client);
      return client;
    },
    async close() {
      for (const client of clients) client.destroy();
      await redshift.close();
      await s3.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

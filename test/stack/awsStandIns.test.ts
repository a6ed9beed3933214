import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ExecuteStatementCommand, RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { Client } from 'pg';
import { endpointSettings } from '../../src/adapters/localEndpoints';
import { stackDown, stackUp } from '../../src/stack';
import { isAlive } from '../../src/stack/processes';
import { TEST_PG_ADMIN_URL } from '../support/databases';
import { testStackConfig } from '../support/stack';
import { waitFor } from './redshiftData/endpointHelpers';
import { freePort } from '../support/freePort';

describe('stack up with WAREHOUSE_KIND=redshift-data', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'libreport-aws-stack-'));
  const database = `lr_test_aws_stack_${process.pid}`;
  let config: ReturnType<typeof testStackConfig>;

  beforeAll(async () => {
    const [s3, redshift] = await Promise.all([freePort(), freePort()]);
    const url = new URL(TEST_PG_ADMIN_URL);
    url.pathname = `/${database}`;
    config = testStackConfig({
      LIBREPORT_DATA_DIR: dataDir,
      WAREHOUSE_KIND: 'redshift-data',
      WAREHOUSE_URL: url.toString(),
      S3_ENDPOINT: `http://127.0.0.1:${s3}`,
      REDSHIFT_DATA_ENDPOINT: `http://127.0.0.1:${redshift}`,
      REPORT_S3_BUCKET: 'libreport-reports',
    });
  });

  afterAll(async () => {
    await stackDown(config).catch(() => undefined);
    const admin = new Client({ connectionString: TEST_PG_ADMIN_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts S3 with the staging and report buckets and the Redshift endpoint on its engine database, and stops them', async () => {
    const status = await stackUp(config, () => undefined, { only: ['s3', 'warehouse'] });
    const parts = Object.fromEntries(status.parts.map((p) => [p.name, p]));
    expect(parts.s3).toMatchObject({
      running: true,
      managed: true,
      note: 'buckets: libreport-staging, libreport-reports',
    });
    expect(parts.warehouse).toMatchObject({
      running: true,
      managed: true,
      endpoint: config.warehouse.kind === 'redshift-data' ? config.warehouse.endpoint : '',
    });

    const s3 = new S3Client({
      region: 'ap-northeast-2',
      ...endpointSettings(config.s3.endpoint, { pathStyle: true }),
    });
    const redshift = new RedshiftDataClient({
      region: 'ap-northeast-2',
      ...endpointSettings(parts.warehouse!.endpoint),
    });
    try {
      const buckets = await s3.send(new ListBucketsCommand({}));
      expect(buckets.Buckets!.map((b) => b.Name).sort()).toEqual(['libreport-reports', 'libreport-staging']);
      const { Id } = await redshift.send(
        new ExecuteStatementCommand({
          ClusterIdentifier: 'libreport-local',
          Database: 'dev',
          Sql: 'SELECT current_database()',
        }),
      );
      expect((await waitFor(redshift, Id!)).Status).toBe('FINISHED');
    } finally {
      s3.destroy();
      redshift.destroy();
    }

    const stopped = await stackDown(config);
    const pids = stopped.filter((s) => s.name === 's3' || s.name === 'warehouse').map((s) => s.stoppedPid);
    expect(pids).toEqual([parts.s3!.pid, parts.warehouse!.pid]);
    for (const pid of pids) {
      for (let i = 0; i < 50 && isAlive(pid!); i++) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(isAlive(pid!)).toBe(false);
    }
  });

  it('stops them on "stack down" under a configuration that no longer names them (WAREHOUSE_KIND unset)', async () => {
    const status = await stackUp(config, () => undefined, { only: ['s3', 'warehouse'] });
    const pids = status.parts.filter((p) => p.name === 's3' || p.name === 'warehouse').map((p) => p.pid);
    expect(pids).toEqual([expect.any(Number), expect.any(Number)]);

    const pgConfig = testStackConfig({ LIBREPORT_DATA_DIR: dataDir });
    expect(pgConfig.warehouse.kind).toBe('pg');
    const stopped = await stackDown(pgConfig);
    expect(stopped.filter((s) => s.name === 's3' || s.name === 'warehouse')).toEqual([
      { name: 's3', stoppedPid: pids[0] },
      { name: 'warehouse', stoppedPid: pids[1] },
    ]);
    for (const pid of pids) {
      for (let i = 0; i < 50 && isAlive(pid!); i++) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(isAlive(pid!)).toBe(false);
    }
    // Nothing is left to stop, and stand-ins that were never started are not listed.
    expect((await stackDown(pgConfig)).map((s) => s.name)).not.toContain('s3');
  });
});

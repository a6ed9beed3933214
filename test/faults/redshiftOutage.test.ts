import { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { endpointSettings } from '../../src/adapters/localEndpoints';
import { createPgPool, pgWarehouse } from '../../src/adapters/warehouse/pgWarehouse';
import type { Warehouse } from '../../src/adapters/warehouse/port';
import { redshiftDataWarehouse } from '../../src/adapters/warehouse/redshiftDataWarehouse';
import { dailyReport, dailyReportId, type DailyReportInput } from '../../src/workflows/dailyReport';
import { createPipelineHarness, workflowBundle, type PipelineHarness } from '../support/pipeline';
import { dayFixture } from '../support/searchItems';
import { createLocalWorkflowEnvironment } from '../support/stack';
import { startTcpProxy, type TcpProxy } from './support/tcpProxy';
import { createTestWorker } from './support/testWorker';
import { waitFor } from './support/waitFor';
import { countsOf, expectExactDay, loadAudit } from './support/warehouseProbe';

const API_DAY = '2024-08-01';
const S3_DAY = '2024-08-02';

/**
 * The redshift-data warehouse's own outages (the PostgreSQL ones are in postgresOutage.test.ts): the Data API
 * and the S3 staging bucket taken away under a running day, by a proxy in front of each stand-in. The worker
 * reaches both through the proxies; the endpoint's COPY still reads s3rver directly, as a cluster reads S3.
 */
describe('the Redshift Data API and S3 staging failing under a running day', () => {
  let env: TestWorkflowEnvironment;
  let h: PipelineHarness;
  let apiProxy: TcpProxy;
  let s3Proxy: TcpProxy;
  let proxied: Warehouse;
  /** The warehouse database read directly, for checks in PostgreSQL's own SQL. */
  let inspect: Warehouse;
  const apiDay = dayFixture(API_DAY, 400);
  const s3Day = dayFixture(S3_DAY, 400);

  const input = (date: string): DailyReportInput => ({ date, segments: 2, pageLimit: 10, email: 'skip' });
  const start = (date: string) =>
    env.client.workflow.start(dailyReport, {
      args: [input(date)],
      taskQueue: h.config.temporal.taskQueue,
      workflowId: dailyReportId(date),
    });

  /** Waits until a segment of the day's run has staged `page` pages in S3. */
  async function stagedPast(date: string, page: number): Promise<void> {
    const s3 = h.redshift!.s3Client();
    const compact = date.replace(/-/g, '');
    await waitFor(`a segment staging page ${page} of ${date}`, async () => {
      const listed = await s3.send(new ListObjectsV2Command({ Bucket: h.redshift!.stagingBucket }));
      return (listed.Contents ?? []).some(
        (o) => o.Key?.includes(`/r${compact}_`) && o.Key.includes(`/page-${page}/`),
      );
    });
  }

  beforeAll(async () => {
    [env, h] = await Promise.all([
      createLocalWorkflowEnvironment(),
      createPipelineHarness('faults_redshift', {}, { warehouseKind: 'redshift-data' }),
    ]);
    const target = (url: string) => ({ host: new URL(url).hostname, port: Number(new URL(url).port) });
    [apiProxy, s3Proxy] = await Promise.all([
      startTcpProxy(target(h.redshift!.endpoint)),
      startTcpProxy(target(h.redshift!.s3Endpoint)),
    ]);
    if (h.config.warehouse.kind !== 'redshift-data') throw new Error('the harness is not on redshift-data');
    proxied = redshiftDataWarehouse({
      client: new RedshiftDataClient({
        region: h.config.aws.region,
        maxAttempts: 1,
        ...endpointSettings(apiProxy.route(h.redshift!.endpoint)),
      }),
      s3: new S3Client({
        region: h.config.aws.region,
        maxAttempts: 1,
        ...endpointSettings(s3Proxy.route(h.redshift!.s3Endpoint), { pathStyle: true }),
      }),
      config: h.config.warehouse,
      region: h.config.aws.region,
      ownsClients: true,
    });
    inspect = pgWarehouse(createPgPool(h.warehouseDb.url));
    await Promise.all([h.putItems([...apiDay.items, ...s3Day.items]), workflowBundle()]);
  });

  afterAll(async () => {
    await proxied?.close();
    await inspect?.close();
    await apiProxy?.close();
    await s3Proxy?.close();
    await h?.close();
    await env?.teardown();
  });

  async function throughOutage(proxy: TcpProxy, date: string) {
    const worker = await createTestWorker(env, h, { warehouse: proxied });
    return worker.runUntil(async () => {
      const handle = await start(date);
      await stagedPast(date, 3);
      proxy.cut();
      // The outage lasts until the worker has been refused a few times (Temporal retried what failed).
      const refusedBefore = proxy.refusals();
      await waitFor('the worker retrying into the outage', () => proxy.refusals() >= refusedBefore + 4);
      proxy.restore();
      return handle.result();
    });
  }

  it('finishes exactly when the Data API is unreachable for a while during the scan', async () => {
    const result = await throughOutage(apiProxy, API_DAY);
    expect(result.load.outcome).toBe('loaded');
    expect(result.load.mismatches).toEqual([]);
    await expectExactDay(inspect, API_DAY, countsOf(apiDay));
    expect((await loadAudit(inspect, API_DAY)).map((a) => a.outcome)).toEqual(['loaded']);
  });

  it('finishes exactly when the staging bucket is unreachable for a while during the scan', async () => {
    const result = await throughOutage(s3Proxy, S3_DAY);
    expect(result.load.outcome).toBe('loaded');
    expect(result.load.mismatches).toEqual([]);
    // A segment whose uploads failed resumed from its S3 checkpoint instead of reading its pages again.
    expect(result.load.segments.resumed).toBeGreaterThanOrEqual(1);
    await expectExactDay(inspect, S3_DAY, countsOf(s3Day));
  });
});

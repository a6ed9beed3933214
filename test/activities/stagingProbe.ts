import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createLoadActivities } from '../../src/activities/load';
import { SEGMENT_KINDS, stagingTables } from '../../src/activities/sql/staging';
import type { Warehouse } from '../../src/adapters/warehouse/port';
import type { PipelineHarness } from '../support/pipeline';

/** What the extract suites share: a run prepared for a day, and what its staging holds afterwards. */

let runs = 0;

/** Prepares a new run of `date` (its own staging tables) and returns its run key. */
export async function prepareRun(
  h: PipelineHarness,
  env: MockActivityEnvironment,
  date: string,
): Promise<string> {
  const load = createLoadActivities({
    warehouse: h.ports.warehouse,
    rds: h.ports.rds,
    timeZone: 'Asia/Seoul',
  });
  const { runKey } = (await env.run(load.prepareRun, {
    date,
    workflowId: `daily-report-${date}`,
    runId: `staging-probe-run-${process.pid}-${++runs}`,
  })) as { runKey: string };
  return runKey;
}

/** Row count and digest of every staging table the scan writes, whatever the run's table names. */
export async function stagedContents(inspect: Warehouse, runKey: string): Promise<Record<string, string>> {
  const t = stagingTables(runKey);
  const out: Record<string, string> = {};
  for (const k of SEGMENT_KINDS) {
    const [row] = await inspect.query<{ n: string; digest: string | null }>(
      `SELECT COUNT(*) AS n, md5(string_agg(s::text, '|' ORDER BY s::text)) AS digest FROM ${t[k]} s`,
    );
    out[k] = `${row!.n}:${row!.digest}`;
  }
  return out;
}

/** Object keys the staging bucket holds for a run (redshift-data only). */
export async function stagedKeys(h: PipelineHarness, runKey: string): Promise<string[]> {
  const listed = await h
    .redshift!.s3Client()
    .send(new ListObjectsV2Command({ Bucket: h.redshift!.stagingBucket }));
  return (listed.Contents ?? []).flatMap((o) => (o.Key?.includes(`/${runKey}/`) ? [o.Key] : []));
}

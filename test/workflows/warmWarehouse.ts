import { createActivities } from '../../src/activities';
import { activitySettings } from '../../src/worker/ports';
import type { PipelineHarness } from '../support/pipeline';

/**
 * Creates the warehouse and mart schemas before days run concurrently: the first-ever
 * `CREATE … IF NOT EXISTS` of two concurrent days races in PostgreSQL's catalog (23505 on
 * pg_namespace/pg_type), which the pipeline currently treats as rejected data.
 */
export async function warmWarehouse(h: PipelineHarness): Promise<void> {
  const activities = createActivities(h.ports, activitySettings(h.config));
  const { runKey } = await activities.prepareRun({
    date: '2000-01-01',
    workflowId: 'warm-up',
    runId: 'warm-up',
  });
  await activities.dropStaging({ runKey });
  await activities.refreshMart({ date: '2000-01-01' });
}

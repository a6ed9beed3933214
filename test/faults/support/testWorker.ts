import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import type { ActivityPorts } from '../../../src/activities';
import { createWorker } from '../../../src/worker/createWorker';
import { workflowBundle, type PipelineHarness } from '../../support/pipeline';

/**
 * An in-process worker wired like production (`createWorker`) on the harness's task queue, with the harness's
 * real adapters except those in `faults` (wrappers that inject failures or count calls).
 */
export async function createTestWorker(
  env: TestWorkflowEnvironment,
  h: PipelineHarness,
  faults: Partial<ActivityPorts> = {},
): Promise<Worker> {
  return createWorker({
    config: h.config,
    connection: env.nativeConnection,
    ports: { ...h.ports, ...faults },
    workflowBundle: await workflowBundle(),
  });
}

import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities, type ActivityPorts } from '../../../src/activities';
import { workflowBundle } from '../../support/pipeline';

/** An in-process worker on `taskQueue` whose activities use `ports` (real adapters, possibly wrapped with faults). */
export async function createTestWorker(env: TestWorkflowEnvironment, taskQueue: string, ports: ActivityPorts): Promise<Worker> {
  return Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: await workflowBundle(),
    activities: createActivities(ports),
  });
}

import { Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityPorts } from '../activities';
import { activitySettings } from './ports';
import type { Config } from '../config/config';

export interface CreateWorkerOptions {
  readonly config: Config;
  readonly connection: NativeConnection;
  readonly ports: ActivityPorts;
  /** A pre-built workflow bundle (tests build it once); otherwise the worker bundles `src/workflows`. */
  readonly workflowBundle?: WorkerOptions['workflowBundle'];
  readonly taskQueue?: string;
}

/** The one place where activities meet their dependencies. */
export async function createWorker(options: CreateWorkerOptions): Promise<Worker> {
  const { config } = options;
  return Worker.create({
    connection: options.connection,
    namespace: config.temporal.namespace,
    taskQueue: options.taskQueue ?? config.temporal.taskQueue,
    ...(options.workflowBundle
      ? { workflowBundle: options.workflowBundle }
      : { workflowsPath: require.resolve('../workflows') }),
    activities: createActivities(options.ports, activitySettings(config)),
    maxConcurrentActivityTaskExecutions: config.worker.maxConcurrentActivities,
  });
}

import { Worker } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createLocalWorkflowEnvironment } from '../support/stack';
import { greetingWorkflow } from './fixtures/greetingWorkflow';

describe('Temporal dev server (existing CLI binary)', () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    env = await createLocalWorkflowEnvironment();
  });

  afterAll(async () => {
    await env?.teardown();
  });

  it('runs a workflow and its activity on a bundled worker', async () => {
    const taskQueue = `stack-smoke-${process.pid}`;
    const calls: string[] = [];
    const worker = await Worker.create({
      connection: env.nativeConnection,
      namespace: env.namespace ?? 'default',
      taskQueue,
      workflowsPath: require.resolve('./fixtures/greetingWorkflow'),
      activities: {
        async greeting(name: string) {
          calls.push(name);
          return `hello, ${name}`;
        },
      },
    });

    const result = await worker.runUntil(
      env.client.workflow.execute(greetingWorkflow, {
        args: ['libreport'],
        taskQueue,
        workflowId: `greeting-${process.pid}`,
      }),
    );

    expect(result).toBe('hello, libreport!');
    expect(calls).toEqual(['libreport']);
  });
});

import type { Client } from '@temporalio/client';
import type { Config } from '../config/config';
import { isUserFacing } from '../errors';
import { connectClient } from '../temporal/connection';
import { createPorts, type Ports } from '../worker/ports';
import { SETUP_STEPS, type SetupContext, type SetupStep, type StepResult } from './steps';

export interface StepReport extends StepResult {
  readonly step: string;
}

/**
 * Runs every setup step in order and reports each. A step that throws is `failed` with its one-line
 * message, and the next steps still run: one unreachable store must not hide the state of the others.
 */
export async function runSetup(
  config: Config,
  steps: readonly SetupStep[] = SETUP_STEPS,
  onStep: (report: StepReport) => void = () => {},
): Promise<StepReport[]> {
  let client: Promise<Client> | undefined;
  let ports: Ports | undefined;
  const context: SetupContext = {
    config,
    temporal: () => (client ??= connectClient(config)),
    ports: () => (ports ??= createPorts(config)),
    searchAttributes: false,
  };
  const reports: StepReport[] = [];
  try {
    for (const step of steps) {
      let result: StepResult;
      try {
        result = await step.run(context);
      } catch (error) {
        result = { status: 'failed', detail: describeError(error) };
      }
      const report = { step: step.name, ...result };
      reports.push(report);
      onStep(report);
    }
  } finally {
    await ports?.close();
    await client?.then((c) => c.connection.close()).catch(() => undefined);
  }
  return reports;
}

/** One line: our own errors already say what to do; others get their first line. */
export function describeError(error: unknown): string {
  if (isUserFacing(error)) return error.message;
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]!;
}

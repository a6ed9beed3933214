import type { Client } from '@temporalio/client';
import type { Config } from '../config/config';
import { connectClient } from '../temporal/connection';

/** Runs `work` with a Temporal client and always closes its connection, so the command can exit. */
export async function withClient<T>(config: Config, work: (client: Client) => Promise<T>): Promise<T> {
  const client = await connectClient(config);
  try {
    return await work(client);
  } finally {
    await client.connection.close();
  }
}

/** The Temporal Web UI page of a workflow. */
export function workflowLink(config: Config, workflowId: string): string {
  return `${config.temporal.uiUrl}/namespaces/${encodeURIComponent(config.temporal.namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}

/** `--json` output: one pretty-printed document on stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

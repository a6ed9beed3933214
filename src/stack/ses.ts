import path from 'node:path';
import type { LocalService } from './localService';
import { hostPort, httpAnswers } from './probe';

/** aws-ses-v2-local: accepts SES v1/v2 sends, lists them at `GET /store` and shows them at `/`. Mail lives in memory. */
export function sesStandIn(endpoint: string): LocalService {
  const { host, port } = hostPort(endpoint);
  const cli = path.join(path.dirname(require.resolve('aws-ses-v2-local/package.json')), 'dist', 'cli.js');
  const base = endpoint.replace(/\/+$/, '');
  return {
    part: 'ses',
    processName: 'ses',
    marker: 'aws-ses-v2-local',
    host,
    endpoint: base,
    startTimeoutMs: 30_000,
    probe: () => httpAnswers(`${base}/health-check`, { accept: (status) => status === 200 }),
    command: async () => ({
      name: 'ses',
      command: process.execPath,
      args: [cli, '--host', host, '--port', String(port)],
      marker: 'aws-ses-v2-local',
    }),
    describe: () => ({ endpoint: base, uiUrl: `${base}/` }),
  };
}

/** One message as the SES stand-in lists it at `GET /store`. */
export interface StoredEmail {
  readonly messageId: string;
  readonly from: string;
  readonly destination: { readonly to: string[]; readonly cc: string[]; readonly bcc: string[] };
  readonly subject: string;
  readonly body: { readonly html?: string; readonly text?: string };
  readonly attachments: readonly {
    readonly contentType: string;
    readonly filename?: string;
    readonly size: number;
  }[];
  /** Epoch seconds. */
  readonly at: number;
}

/** The mail the SES stand-in has received (optionally only since an epoch second). */
export async function receivedEmails(endpoint: string, sinceEpochSeconds?: number): Promise<StoredEmail[]> {
  const url = new URL('/store', endpoint);
  if (sinceEpochSeconds !== undefined) url.searchParams.set('since', String(Math.floor(sinceEpochSeconds)));
  const response = await fetch(url);
  if (!response.ok) throw new Error(`SES stand-in answered ${response.status} for ${url}`);
  const body = (await response.json()) as { emails: StoredEmail[] };
  return body.emails;
}

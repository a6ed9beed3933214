import type { RedshiftWarehouseConfig } from '../../../src/config/config';
import {
  ServiceUnavailableError,
  StatementFailedError,
  TransientConflictError,
  type LibreportError,
} from '../../../src/errors';
import { NON_RETRYABLE_ERROR_TYPES } from '../../../src/errors';
import { redshiftDataWarehouse } from '../../../src/adapters/warehouse/redshiftDataWarehouse';
import { classifyApiError } from '../../../src/adapters/warehouse/redshiftErrors';
import type { Warehouse } from '../../../src/adapters/warehouse/port';
import { freshDatabase, type TestDatabase } from '../../support/databases';
import { execute, waitFor } from '../../stack/redshiftData/endpointHelpers';
import { startRedshiftStandIns, type RedshiftStandIns } from '../../support/redshiftStandIns';

/**
 * Sessions and failure kinds of the Redshift adapter on the local endpoint, with the endpoint's session cap
 * lowered so a leak shows within a few transactions instead of 500.
 */

const SESSION_CAP = 3;
const CONFIG: RedshiftWarehouseConfig = {
  kind: 'redshift-data',
  clusterId: 'libreport-local',
  database: 'dev',
  iamRole: 'arn:aws:iam::123456789012:role/redshift-copy',
  stagingBucket: 'libreport-staging',
  stagingPrefix: 'libreport/staging',
};

let db: TestDatabase;
let standIns: RedshiftStandIns;
let dw: Warehouse;

beforeAll(async () => {
  db = await freshDatabase('rssessions');
  standIns = await startRedshiftStandIns(db.url, { buckets: ['libreport-staging'], maxSessions: SESSION_CAP });
  dw = redshiftDataWarehouse({
    client: standIns.dataClient(),
    s3: standIns.s3Client(),
    config: CONFIG,
    region: 'ap-northeast-2',
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 5))),
  });
  await dw.query('CREATE TABLE public.counter (id INTEGER, v INTEGER)');
  await dw.query('INSERT INTO public.counter (id, v) VALUES (1, 0)');
});

afterAll(async () => {
  await standIns?.close();
  await db?.drop();
});

const retryable = (error: unknown) =>
  !NON_RETRYABLE_ERROR_TYPES.includes((error as Error).name) && (error as LibreportError).retryable;

describe('redshiftDataWarehouse sessions', () => {
  it('ends each transaction session, so more transactions than the session cap all commit', async () => {
    const transactions = SESSION_CAP * 4;
    for (let i = 1; i <= transactions; i++) {
      await dw.transaction(async (tx) => {
        await tx.query('UPDATE public.counter SET v = v + 1 WHERE id = 1');
      });
    }
    // One failing transaction ends its session too.
    for (let i = 0; i < SESSION_CAP + 1; i++) {
      await expect(dw.transaction((tx) => tx.query('SELECT * FROM public.nope'))).rejects.toBeInstanceOf(
        StatementFailedError,
      );
    }
    const [row] = await dw.query<{ v: number }>('SELECT v FROM public.counter WHERE id = 1');
    expect(row!.v).toBe(transactions);
  });

  it('reports the session cap, when something else holds every session, as retryable', async () => {
    const client = standIns.dataClient();
    const held: string[] = [];
    for (let i = 0; i < SESSION_CAP; i++) {
      const { id, sessionId } = await execute(client, 'SELECT 1', { SessionKeepAliveSeconds: 60 });
      await waitFor(client, id);
      held.push(sessionId!);
    }
    try {
      const failure = await dw.transaction((tx) => tx.query('SELECT 1')).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(ServiceUnavailableError);
      expect((failure as Error).message).toMatch(/ActiveSessionsExceededException/);
      expect(retryable(failure)).toBe(true);
    } finally {
      for (const sessionId of held) {
        await waitFor(client, (await execute(client, 'SELECT 1', { SessionId: sessionId, SessionKeepAliveSeconds: 0 })).id);
      }
    }
  });
});

describe('redshiftDataWarehouse failure kinds', () => {
  it('surfaces a real serialization conflict (ERROR: 1023) between two transactions as retryable', async () => {
    const failure = await dw
      .transaction(async (first) => {
        // The first transaction's snapshot starts here; the second then changes the row and commits.
        await first.query('SELECT v FROM public.counter WHERE id = 1');
        await dw.transaction((second) => second.query('UPDATE public.counter SET v = v + 100 WHERE id = 1'));
        await first.query('UPDATE public.counter SET v = v + 1 WHERE id = 1');
      })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(TransientConflictError);
    expect((failure as Error).message).toMatch(/ERROR: 1023 .*it will be retried$/s);
    expect(retryable(failure)).toBe(true);
  });

  it('keeps a statement that fails on bad SQL non-retryable', async () => {
    const failure = await dw.query('SELEC v FROM public.counter').catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(StatementFailedError);
    expect((failure as Error).message).toMatch(/syntax error/);
    expect(retryable(failure)).toBe(false);
    expect(NON_RETRYABLE_ERROR_TYPES).toContain((failure as Error).name);
  });

  it.each([
    ['throttling', { name: 'ThrottlingException', message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } }],
    ['a 5xx answer', { name: 'Unknown', message: 'Bad gateway', $metadata: { httpStatusCode: 502 } }],
    ['a dropped connection', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
    ['a reclaimed session', { name: 'ValidationException', message: 'Session is not available' }],
  ])('maps %s to ServiceUnavailableError', (_, error) => {
    const mapped = classifyApiError(error, 'Redshift cluster x');
    expect(mapped).toBeInstanceOf(ServiceUnavailableError);
    expect(retryable(mapped)).toBe(true);
  });

  it('passes a malformed request through unchanged', () => {
    const error = { name: 'ValidationException', message: 'Sql must be at most 100 KB' };
    expect(classifyApiError(error, 'Redshift cluster x')).toBe(error);
  });
});

import { ListStatementsCommand, type StatementData } from '@aws-sdk/client-redshift-data';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { type RedshiftWarehouseConfig } from '../../../src/config/config';
import type { CopyValue, Warehouse } from '../../../src/adapters/warehouse/port';
import {
  redshiftDataWarehouse,
  type RedshiftDataWarehouseDeps,
} from '../../../src/adapters/warehouse/redshiftDataWarehouse';
import { freshDatabase, type TestDatabase } from '../../support/databases';
import { startRedshiftStandIns, type RedshiftStandIns } from '../../support/redshiftStandIns';

// The Redshift Data API adapter against the local endpoint and s3rver, through the real SDK clients: every
// statement runs on PostgreSQL behind the Redshift dialect gate, and every COPY reads what the adapter staged.

export const ROLE = 'arn:aws:iam::123456789012:role/redshift-copy';
export const CLUSTER_CONFIG: RedshiftWarehouseConfig = {
  kind: 'redshift-data',
  clusterId: 'libreport-dw',
  database: 'dev',
  secretArn: 'arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:dw-AbCdEf',
  iamRole: ROLE,
  stagingBucket: 'libreport-staging',
  stagingPrefix: 'libreport/staging',
};

export async function* rowsOf(rows: readonly (readonly CopyValue[])[]): AsyncGenerator<readonly CopyValue[]> {
  yield* rows;
}

export interface RedshiftDataAdapterHarness {
  readonly db: TestDatabase;
  readonly standIns: RedshiftStandIns;
  /** The waits the adapter asked for in this test. */
  readonly sleeps: number[];
  /** The adapter on the stand-ins, with `overrides`. */
  warehouse(overrides?: Partial<RedshiftDataWarehouseDeps>): Warehouse;
  /** The statements the endpoint received since `before` (an id list), oldest first. */
  statementsAfter(before: Set<string>): Promise<StatementData[]>;
  knownStatements(): Promise<Set<string>>;
  stagedObjects(): Promise<string[]>;
  /** A fresh table for one test, in the dialect the adapter's DDL uses. */
  freshTable(dw: Warehouse, columns: string): Promise<string>;
}

/** A database behind the local Redshift Data API endpoint and s3rver for one suite, up in its beforeAll. */
export function useRedshiftDataAdapter(name: string): RedshiftDataAdapterHarness {
  let db: TestDatabase | undefined;
  let standIns: RedshiftStandIns | undefined;
  const sleeps: number[] = [];
  let tables = 0;

  beforeAll(async () => {
    db = await freshDatabase(name);
    // Two records per result page, so every multi-row result exercises NextToken.
    standIns = await startRedshiftStandIns(db.url, { buckets: ['libreport-staging'], pageRows: 2 });
  });

  afterAll(async () => {
    await standIns?.close();
    await db?.drop();
  });

  beforeEach(() => {
    sleeps.length = 0;
  });

  const statementsAfter = async (before: Set<string>): Promise<StatementData[]> => {
    const listed = await standIns!
      .dataClient()
      .send(new ListStatementsCommand({ MaxResults: 100, Status: 'ALL' }));
    return (listed.Statements ?? []).filter((s) => !before.has(s.Id!)).reverse();
  };

  return {
    get db() {
      return db!;
    },
    get standIns() {
      return standIns!;
    },
    sleeps,
    warehouse: (overrides = {}) =>
      redshiftDataWarehouse({
        client: standIns!.dataClient(),
        s3: standIns!.s3Client(),
        config: CLUSTER_CONFIG,
        region: 'ap-northeast-2',
        // Records the waits the adapter asks for, waiting only briefly so the endpoint can progress.
        sleep: async (ms) => {
          sleeps.push(ms);
          await new Promise((resolve) => setTimeout(resolve, 2));
        },
        ...overrides,
      }),
    statementsAfter,
    knownStatements: async () => new Set((await statementsAfter(new Set())).map((s) => s.Id!)),
    stagedObjects: async () => {
      const listed = await standIns!
        .s3Client()
        .send(new ListObjectsV2Command({ Bucket: 'libreport-staging' }));
      return (listed.Contents ?? []).map((o) => o.Key!);
    },
    freshTable: async (dw, columns) => {
      const name = `t${++tables}`;
      await dw.query(`CREATE TABLE ${name} (${columns})`);
      return name;
    },
  };
}

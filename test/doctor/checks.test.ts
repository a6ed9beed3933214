import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Config } from '../../src/config/config';
import type { DoctorCheck } from '../../src/doctor/check';
import { DOCTOR_CHECKS } from '../../src/doctor/checks';
import { createDoctorContext } from '../../src/doctor/context';
import { runChecks } from '../../src/doctor/runChecks';
import { runSetup } from '../../src/setup/runSetup';
import { freshDatabase, type TestDatabase } from '../support/databases';
import { createPipelineHarness, type PipelineHarness } from '../support/pipeline';
import { createLocalWorkflowEnvironment, testStackConfig } from '../support/stack';

const byName = (name: string): DoctorCheck => DOCTOR_CHECKS.find((c) => c.name === name)!;

/** Runs one check against `config` with real clients. */
async function check(name: string, config: Config) {
  const context = createDoctorContext(config);
  try {
    const [report] = await runChecks([byName(name)], context);
    return report!;
  } finally {
    await context.close();
  }
}

describe('libreport doctor checks on the local stack', () => {
  let env: TestWorkflowEnvironment;
  let h: PipelineHarness;
  let empty: TestDatabase;
  let good: Config;
  let broken: Config;
  const suffix = `${process.pid}_${Math.floor(Math.random() * 1e6)}`;

  beforeAll(async () => {
    [env, h, empty] = await Promise.all([
      createLocalWorkflowEnvironment(),
      createPipelineHarness('doctor'),
      freshDatabase('doctor_empty'),
    ]);
    good = { ...h.config, temporal: { ...h.config.temporal, address: env.address } };
    const reports = await runSetup({ ...good, schedule: { ...good.schedule, id: `doctor-${suffix}` } });
    expect(reports.filter((r) => r.status === 'failed')).toEqual([]);
    const notADir = path.join(mkdtempSync(path.join(os.tmpdir(), 'doctor-')), 'file');
    writeFileSync(notADir, 'x');
    broken = testStackConfig({
      TEMPORAL_ADDRESS: '127.0.0.1:1',
      DYNAMODB_TABLE: `doctor_missing_${suffix}`,
      WAREHOUSE_URL: 'postgres://postgres@127.0.0.1:1/none',
      RDS_URL: empty.url,
      SES_ENDPOINT: 'http://127.0.0.1:1',
      REPORT_DIR: path.join(notADir, 'reports'),
    });
  });

  afterAll(async () => {
    await h?.close();
    await empty?.drop();
    await env?.teardown();
  });

  it('passes every check on a stack after setup, so doctor exits 0', async () => {
    const context = createDoctorContext(good);
    try {
      const reports = await runChecks(DOCTOR_CHECKS, context);
      expect(reports.filter((r) => r.status === 'fail')).toEqual([]);
      expect(reports.map((r) => r.check)).toEqual(DOCTOR_CHECKS.map((c) => c.name));
    } finally {
      await context.close();
    }
  });

  it('temporal: fails when unreachable or the namespace is unknown', async () => {
    expect(await check('temporal', good)).toMatchObject({ status: 'pass' });
    expect(await check('temporal', broken)).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('Temporal is not reachable at 127.0.0.1:1'),
    });
    const other = { ...good, temporal: { ...good.temporal, namespace: 'no-such-namespace' } };
    expect(await check('temporal', other)).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('namespace "no-such-namespace" does not exist'),
    });
  });

  it('search attributes: fails on a namespace without them, naming them and the fix', async () => {
    expect(await check('search attributes', good)).toMatchObject({ status: 'pass' });
    const namespace = `bare-${suffix}`;
    await env.client.workflowService.registerNamespace({
      namespace,
      // The proto wants a Long; protobufjs takes a plain number at runtime.
      workflowExecutionRetentionPeriod: { seconds: 86_400 as unknown as never },
    });
    const bare = { ...good, temporal: { ...good.temporal, namespace } };
    expect(await check('search attributes', bare)).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('lacks ReportDate, ReportStage, ReportOutcome'),
      fix: expect.stringContaining('libreport setup'),
    });
  });

  it('dynamodb table: fails when missing or keyed otherwise; the day index is optional', async () => {
    expect(await check('dynamodb table', good)).toMatchObject({ status: 'pass' });
    expect(await check('dynamodb table', broken)).toMatchObject({
      status: 'fail',
      fix: 'run "libreport setup"',
    });
    const wrongKey = `doctor_wrong_key_${suffix}`;
    const context = createDoctorContext(good);
    await context.dynamo().send(
      new CreateTableCommand({
        TableName: wrongKey,
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [
          { AttributeName: 'id', AttributeType: 'S' },
          { AttributeName: 'query_date', AttributeType: 'S' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: 'by_day',
            KeySchema: [{ AttributeName: 'query_date', KeyType: 'HASH' }],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    await context.close();
    const other = { ...good, dynamo: { ...good.dynamo, table: wrongKey } };
    expect(await check('dynamodb table', other)).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('has key id HASH, not query_id'),
    });
    expect(await check('dynamodb day index', good)).toEqual({
      check: 'dynamodb day index',
      status: 'pass',
      detail: 'absent (optional): days are read with a parallel scan',
    });
    expect(await check('dynamodb day index', other)).toMatchObject({
      status: 'pass',
      detail: expect.stringContaining('index "by_day" on query_date'),
    });
    expect(await check('dynamodb day index', broken)).toMatchObject({ status: 'skip' });
  });

  it('warehouse: fails when unreachable, or when setup has not made its schemas', async () => {
    expect(await check('warehouse', good)).toMatchObject({
      status: 'pass',
      detail: 'pg reachable; dw_stage writable',
    });
    expect(await check('warehouse', broken)).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('pg warehouse is not reachable'),
    });
    const unset = { ...good, warehouse: { kind: 'pg' as const, url: empty.url } };
    expect(await check('warehouse', unset)).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('cannot create tables in dw_stage'),
      fix: expect.stringContaining('libreport setup'),
    });
    // The probe leaves nothing behind.
    const probes = await h.ports.warehouse.query(
      `SELECT 1 FROM information_schema.tables WHERE table_name LIKE 'doctor_probe_%'`,
    );
    expect(probes).toEqual([]);
  });

  it('warehouse tables: fails listing what is missing', async () => {
    expect(await check('warehouse tables', good)).toMatchObject({ status: 'pass' });
    const unset = { ...good, warehouse: { kind: 'pg' as const, url: empty.url } };
    expect(await check('warehouse tables', unset)).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/^missing dw\.search_query, .* and \d+ more$/),
    });
  });

  it('rds tables: fails naming the missing columns', async () => {
    expect(await check('rds tables', good)).toMatchObject({ status: 'pass' });
    expect(await check('rds tables', broken)).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('missing user_choice.id'),
    });
  });

  it('ses sender: locally, the stand-in must answer', async () => {
    expect(await check('ses sender', good)).toMatchObject({ status: 'pass' });
    expect(await check('ses sender', broken)).toMatchObject({
      status: 'fail',
      detail: 'the SES stand-in does not answer at http://127.0.0.1:1',
    });
    expect(await check('ses account', good)).toMatchObject({ status: 'skip' });
  });

  it('report archive: fails when the folder cannot be written', async () => {
    expect(await check('report archive', good)).toMatchObject({ status: 'pass' });
    expect(await check('report archive', broken)).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/cannot write .*reports \((ENOTDIR|EEXIST)\)/),
    });
    // Node's recursive mkdir never returns under /proc; the check answers at once with the code.
    expect(
      await check('report archive', testStackConfig({ REPORT_DIR: '/proc/no-such/reports' })),
    ).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/cannot write \/proc\/no-such\/reports \(ENOENT\)/),
    });
  });

  it('staging bucket: does not apply to a PostgreSQL warehouse', async () => {
    expect(await check('staging bucket', good)).toMatchObject({ status: 'skip' });
  });
});

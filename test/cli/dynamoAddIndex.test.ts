import { createDynamoClient, dynamoSearchTable } from '../../src/adapters/dynamo/dynamoSearchTable';
import type { SearchTable } from '../../src/adapters/dynamo/port';
import { dynamoCommand } from '../../src/cli/commands/dynamo';
import { testStackConfig } from '../support/stack';
import { runCli } from './runCli';

/** `libreport dynamo add-index` against dynalite, which takes an UpdateTable that adds an index and ignores it. */
describe('libreport dynamo add-index', () => {
  const suffix = `${process.pid}_${Math.floor(Math.random() * 1e6)}`;
  const config = testStackConfig();
  const client = createDynamoClient({
    endpoint: config.dynamo.endpoint,
    region: config.aws.region,
    table: 'unused',
  });
  const tableNamed = (name: string): SearchTable =>
    dynamoSearchTable(client, { endpoint: config.dynamo.endpoint, region: config.aws.region, table: name });
  const addIndex = (table: string, ...flags: string[]) =>
    runCli([dynamoCommand()], ['dynamo', 'add-index', ...flags], { DYNAMODB_TABLE: table });

  afterAll(() => client.destroy());

  it('on a table without the index, says in one line that dynalite ignored the update and how to recreate it', async () => {
    const name = `test_addindex_bare_${suffix}`;
    await tableNamed(name).ensureTable({ dayIndex: false });

    const result = await addIndex(name);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      `libreport: DynamoDB at ${config.dynamo.endpoint} accepted the UpdateTable but DescribeTable shows no index ` +
        `on "${name}": dynalite ignores index changes to an existing table. Recreate the table with the index: ` +
        'delete it (or stop the stack and remove its dynalite folder) and run "libreport seed", which creates it ' +
        'with the index',
    );
    // Detected by describing the table, never by trusting the update: still no index.
    expect((await tableNamed(name).describe()).dayIndex).toBe('absent');
  });

  it('on a table that has the index, reports it ACTIVE and changes nothing', async () => {
    const name = `test_addindex_ready_${suffix}`;
    await tableNamed(name).ensureTable({ dayIndex: true });

    const result = await addIndex(name);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout.split('\n')[0]).toBe(
      `"${name}" already has "query_date-query_id-index", ACTIVE: days are read through it`,
    );
    expect(result.stdout).toMatch(/^index "query_date-query_id-index": ACTIVE \(/m);

    const json = await addIndex(name, '--json');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      table: name,
      found: 'active',
      status: 'active',
      detail: { name: 'query_date-query_id-index', indexStatus: 'ACTIVE', backfilling: false },
    });
  });

  it('names a missing table in one line', async () => {
    const result = await addIndex(`test_addindex_missing_${suffix}`);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^libreport: DynamoDB table "test_addindex_missing_\S+" does not exist at /,
    );
    expect(result.stderr).not.toContain('\n');
  });
});

import {
  DescribeStatementCommand,
  GetStatementResultCommand,
  ListStatementsCommand,
} from '@aws-sdk/client-redshift-data';
import { execute, holdLock, refusal, run, TARGET, useEndpoint, waitFor } from './endpointHelpers';

/** The local Redshift Data API endpoint's API errors and ListStatements, shaped as the real API's. */
const endpoint = useEndpoint('rsapierrors');

describe('API errors', () => {
  it.each([
    ['no SQL', { ...TARGET, Sql: '' }, /Sql is required/],
    [
      'cluster and workgroup',
      { ...TARGET, WorkgroupName: 'wg1', Sql: 'SELECT 1' },
      /ClusterIdentifier or WorkgroupName/,
    ],
    [
      'no database',
      { ClusterIdentifier: 'c1', Database: undefined, Sql: 'SELECT 1' },
      /Database is required/,
    ],
    [
      'a malformed cluster id',
      { ...TARGET, ClusterIdentifier: 'Bad_Id', Sql: 'SELECT 1' },
      /ClusterIdentifier/,
    ],
    ['SQL over 100 KB', { ...TARGET, Sql: `SELECT '${'x'.repeat(100 * 1024)}'` }, /larger than 100kB/],
    [
      'an unused parameter',
      { ...TARGET, Sql: 'SELECT 1', Parameters: [{ name: 'a', value: '1' }] },
      /not used/,
    ],
    [
      'an empty parameter value',
      { ...TARGET, Sql: 'SELECT :a', Parameters: [{ name: 'a', value: '' }] },
      /empty value/,
    ],
    [
      'CSV results, which it does not implement',
      { ...TARGET, Sql: 'SELECT 1', ResultFormat: 'CSV' as const },
      /CSV is not implemented/,
    ],
    [
      'a placeholder without a parameter',
      { ...TARGET, Sql: 'SELECT :a, :b', Parameters: [{ name: 'a', value: '1' }] },
      /:b/,
    ],
  ])('refuses %s with ValidationException', async (_what, input, message) => {
    const error = await refusal(execute(endpoint.client, input.Sql, input));
    expect(error.name).toBe('ValidationException');
    expect(error.message).toMatch(message);
  });

  it('answers ResourceNotFoundException for unknown ids and for results of statements without one', async () => {
    const unknown = await refusal(
      endpoint.client.send(new DescribeStatementCommand({ Id: '00000000-0000-0000-0000-000000000000' })),
    );
    expect(unknown.name).toBe('ResourceNotFoundException');
    const insert = await run(endpoint.client, "INSERT INTO kv VALUES ('r', 1)");
    const noResult = await refusal(endpoint.client.send(new GetStatementResultCommand({ Id: insert.Id })));
    expect(noResult.name).toBe('ResourceNotFoundException');
  });

  it('refuses more active statements than the limit with ActiveStatementsExceededException', async () => {
    const lock = await holdLock(endpoint.db.url, 'blocker');
    const ids: string[] = [];
    let error: { name: string } | undefined;
    try {
      for (let i = 0; i < 6; i++)
        ids.push((await execute(endpoint.client, 'SELECT COUNT(*) FROM blocker')).id);
    } catch (e) {
      error = e as { name: string };
    }
    expect(ids).toHaveLength(5);
    expect(error?.name).toBe('ActiveStatementsExceededException');
    await lock.release();
    for (const id of ids) expect((await waitFor(endpoint.client, id)).Status).toBe('FINISHED');
  });

  it('lists statements newest first, filtered by status', async () => {
    // Two failed statements, so one page of one leaves a next page.
    await run(endpoint.client, 'SELECT * FROM no_table');
    const failed = await run(endpoint.client, 'SELECT * FROM still_no_table');
    const listed = await endpoint.client.send(new ListStatementsCommand({ Status: 'FAILED', MaxResults: 1 }));
    expect(listed.Statements!.map((s) => s.Id)).toEqual([failed.Id]);
    expect(listed.NextToken).toBeDefined();
  });
});

import {
  BatchExecuteStatementCommand,
  CancelStatementCommand,
  DescribeStatementCommand,
  GetStatementResultCommand,
} from '@aws-sdk/client-redshift-data';
import { execute, holdLock, refusal, run, TARGET, useEndpoint, waitFor } from './endpointHelpers';

/** The local Redshift Data API endpoint: a statement's life from ExecuteStatement to its result, batches, cancel. */
const endpoint = useEndpoint('rsendpoint');

describe('statement lifecycle', () => {
  it('answers ExecuteStatement at once and moves SUBMITTED → STARTED → FINISHED', async () => {
    const lock = await holdLock(endpoint.db.url, 'blocker');
    const { id } = await execute(endpoint.client, 'SELECT COUNT(*) AS n FROM blocker');
    expect(id).toMatch(/^[a-z0-9]{8}(-[a-z0-9]{4}){3}-[a-z0-9]{12}$/);
    const first = await endpoint.client.send(new DescribeStatementCommand({ Id: id }));
    expect(['SUBMITTED', 'STARTED']).toContain(first.Status);
    const started = await waitFor(endpoint.client, id, 'STARTED');
    expect(started.ResultRows).toBe(-1);
    expect(started.RedshiftPid).toEqual(expect.any(Number));
    await lock.release();
    const done = await waitFor(endpoint.client, id);
    expect(done).toMatchObject({
      Status: 'FINISHED',
      HasResultSet: true,
      ResultRows: 1,
      ClusterIdentifier: 'libreport-local',
    });
    expect(done.QueryString).toBe('SELECT COUNT(*) AS n FROM blocker');
    expect(done.Duration).toBeGreaterThan(0);
  });

  it('reports SQL errors as FAILED with the engine text, never as an API error', async () => {
    const failed = await run(endpoint.client, 'SELECT * FROM no_such_table');
    expect(failed.Status).toBe('FAILED');
    expect(failed.Error).toMatch(/^ERROR: relation "no_such_table" does not exist/);
  });

  it('pages results with NextToken and converts types to Data API fields', async () => {
    await run(endpoint.client, "INSERT INTO kv VALUES ('a', 1), ('b', NULL), ('c', 3)");
    const described = await run(
      endpoint.client,
      'SELECT k, v, v > 1 AS big, CAST(v AS DOUBLE PRECISION) / 2 AS half FROM kv ORDER BY k',
    );
    const first = await endpoint.client.send(new GetStatementResultCommand({ Id: described.Id }));
    expect(first.TotalNumRows).toBe(3);
    expect(first.ColumnMetadata!.map((c) => [c.name, c.typeName])).toEqual([
      ['k', 'varchar'],
      ['v', 'int4'],
      ['big', 'bool'],
      ['half', 'float8'],
    ]);
    expect(first.Records).toEqual([
      [{ stringValue: 'a' }, { longValue: 1 }, { booleanValue: false }, { doubleValue: 0.5 }],
      [{ stringValue: 'b' }, { isNull: true }, { isNull: true }, { isNull: true }],
    ]);
    const second = await endpoint.client.send(
      new GetStatementResultCommand({ Id: described.Id, NextToken: first.NextToken }),
    );
    expect(second.Records).toEqual([
      [{ stringValue: 'c' }, { longValue: 3 }, { booleanValue: true }, { doubleValue: 1.5 }],
    ]);
    expect(second.NextToken).toBeUndefined();
  });

  it('binds named parameters as strings, in any order and repeated', async () => {
    const described = await run(
      endpoint.client,
      'SELECT k FROM kv WHERE v = :n OR k = :key OR v = :n ORDER BY k',
      {
        Parameters: [
          { name: 'key', value: 'b' },
          { name: 'n', value: '3' },
        ],
      },
    );
    const result = await endpoint.client.send(new GetStatementResultCommand({ Id: described.Id }));
    expect(result.Records).toEqual([[{ stringValue: 'b' }], [{ stringValue: 'c' }]]);
    expect(described.QueryParameters).toEqual([
      { name: 'key', value: 'b' },
      { name: 'n', value: '3' },
    ]);
  });

  it('runs a batch in one transaction with part ids, and rolls all of it back when a part fails', async () => {
    const ok = await endpoint.client.send(
      new BatchExecuteStatementCommand({
        ...TARGET,
        Sqls: ["INSERT INTO kv VALUES ('d', 4)", 'SELECT COUNT(*) AS n FROM kv'],
      }),
    );
    const done = await waitFor(endpoint.client, ok.Id!);
    expect(done.Status).toBe('FINISHED');
    expect(done.SubStatements!.map((s) => [s.Id, s.Status, s.HasResultSet])).toEqual([
      [`${ok.Id}:1`, 'FINISHED', false],
      [`${ok.Id}:2`, 'FINISHED', true],
    ]);
    const count = await endpoint.client.send(new GetStatementResultCommand({ Id: `${ok.Id}:2` }));
    expect(count.Records).toEqual([[{ longValue: 4 }]]);

    const bad = await endpoint.client.send(
      new BatchExecuteStatementCommand({
        ...TARGET,
        Sqls: ["INSERT INTO kv VALUES ('e', 5)", 'SELECT * FROM nope', 'SELECT 1'],
      }),
    );
    const failed = await waitFor(endpoint.client, bad.Id!);
    expect(failed.Status).toBe('FAILED');
    expect(failed.SubStatements!.map((s) => s.Status)).toEqual(['FINISHED', 'FAILED', 'ABORTED']);
    const rows = await run(endpoint.client, "SELECT k FROM kv WHERE k = 'e'");
    expect(rows.ResultRows).toBe(0);
  });
});

describe('cancel', () => {
  it('cancels a running statement: it ends ABORTED', async () => {
    const lock = await holdLock(endpoint.db.url, 'blocker');
    const { id } = await execute(endpoint.client, 'SELECT COUNT(*) FROM blocker');
    await waitFor(endpoint.client, id, 'STARTED');
    expect((await endpoint.client.send(new CancelStatementCommand({ Id: id }))).Status).toBe(true);
    const aborted = await waitFor(endpoint.client, id);
    expect(aborted.Status).toBe('ABORTED');
    await lock.release();
    const again = await refusal(endpoint.client.send(new CancelStatementCommand({ Id: id })));
    expect([again.name, again.message]).toEqual([
      'ValidationException',
      'Could not cancel a query that is already in ABORTED state.',
    ]);
  });
});

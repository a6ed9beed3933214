import { Client } from 'pg';
import { execute, holdLock, refusal, run, TARGET, useEndpoint, waitFor } from './endpointHelpers';

/** The local Redshift Data API endpoint's sessions: what carries over, what they hold, when they close. */
const endpoint = useEndpoint('rssessions');

describe('sessions', () => {
  it('keeps a session between statements: temp tables and an open transaction carry over', async () => {
    const begun = await execute(endpoint.client, 'BEGIN', { SessionKeepAliveSeconds: 30 });
    expect(begun.sessionId).toEqual(expect.any(String));
    await waitFor(endpoint.client, begun.id);
    const inSession = { SessionId: begun.sessionId };
    expect((await run(endpoint.client, "INSERT INTO kv VALUES ('s', 1)", inSession)).Status).toBe('FINISHED');
    expect((await run(endpoint.client, "SELECT k FROM kv WHERE k = 's'")).ResultRows).toBe(0);
    const committed = await run(endpoint.client, 'COMMIT', inSession);
    expect(committed).toMatchObject({ Status: 'FINISHED', SessionId: begun.sessionId });
    expect((await run(endpoint.client, "SELECT k FROM kv WHERE k = 's'")).ResultRows).toBe(1);
  });

  it("gives an idle session's engine connection back unless a transaction or a temp table needs it", async () => {
    const connections = async () => {
      const admin = new Client({ connectionString: endpoint.db.url });
      await admin.connect();
      try {
        const { rows } = await admin.query<{ n: string }>(
          `SELECT COUNT(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
        );
        return Number(rows[0]!.n);
      } finally {
        await admin.end();
      }
    };
    const idle = await connections();
    const begun = await execute(endpoint.client, 'BEGIN', { SessionKeepAliveSeconds: 30 });
    await waitFor(endpoint.client, begun.id);
    expect(await connections()).toBe(idle + 1);
    await run(endpoint.client, 'COMMIT', { SessionId: begun.sessionId });
    expect(await connections()).toBe(idle);
    // The session is still open: its next statement gets a connection again.
    expect((await run(endpoint.client, 'SELECT 1', { SessionId: begun.sessionId })).Status).toBe('FINISHED');

    const temp = await execute(endpoint.client, 'CREATE TEMP TABLE scratch (a INTEGER)', {
      SessionKeepAliveSeconds: 30,
    });
    await waitFor(endpoint.client, temp.id);
    expect(await connections()).toBe(idle + 1);
    expect(
      (await run(endpoint.client, 'INSERT INTO scratch VALUES (1)', { SessionId: temp.sessionId })).Status,
    ).toBe('FINISHED');
  });

  it('commits the open transaction after TRUNCATE, as Redshift does', async () => {
    await run(endpoint.client, 'CREATE TABLE truncated (a INTEGER)');
    await run(endpoint.client, 'INSERT INTO truncated VALUES (1)');
    const begun = await execute(endpoint.client, 'BEGIN', { SessionKeepAliveSeconds: 30 });
    await waitFor(endpoint.client, begun.id);
    const inSession = { SessionId: begun.sessionId };
    await run(endpoint.client, "INSERT INTO kv VALUES ('t', 1)", inSession);
    expect((await run(endpoint.client, 'TRUNCATE truncated', inSession)).Status).toBe('FINISHED');
    // The INSERT before it is committed with it: a ROLLBACK now has nothing to undo.
    await run(endpoint.client, 'ROLLBACK', inSession);
    expect((await run(endpoint.client, "SELECT k FROM kv WHERE k = 't'")).ResultRows).toBe(1);
    expect((await run(endpoint.client, 'SELECT a FROM truncated')).ResultRows).toBe(0);
  });

  it('refuses a statement for a session that is busy with another one', async () => {
    const lock = await holdLock(endpoint.db.url, 'blocker');
    const { id, sessionId } = await execute(endpoint.client, 'SELECT COUNT(*) FROM blocker', {
      SessionKeepAliveSeconds: 30,
    });
    await waitFor(endpoint.client, id, 'STARTED');
    const busy = await refusal(execute(endpoint.client, 'SELECT 1', { SessionId: sessionId }));
    expect(busy.name).toBe('ValidationException');
    expect(busy.message).toMatch(/busy/);
    await lock.release();
    expect((await waitFor(endpoint.client, id)).Status).toBe('FINISHED');
    expect((await run(endpoint.client, 'SELECT 1', { SessionId: sessionId })).Status).toBe('FINISHED');
  });

  it('closes an idle session after its keep-alive and refuses it afterwards', async () => {
    const { id, sessionId } = await execute(endpoint.client, 'SELECT 1', { SessionKeepAliveSeconds: 1 });
    await waitFor(endpoint.client, id);
    await new Promise((resolve) => setTimeout(resolve, 1300));
    const closed = await refusal(execute(endpoint.client, 'SELECT 1', { SessionId: sessionId }));
    expect([closed.name, closed.message]).toEqual(['ValidationException', 'Session is not available']);
    const unknown = await refusal(
      execute(endpoint.client, 'SELECT 1', { SessionId: '00000000-0000-0000-0000-000000000000' }),
    );
    expect(unknown.message).toMatch(/Session with Id: .* is invalid/);
  });

  it('refuses a request that names a cluster as well as a session', async () => {
    const { id, sessionId } = await execute(endpoint.client, 'SELECT 1', { SessionKeepAliveSeconds: 5 });
    await waitFor(endpoint.client, id);
    const both = await refusal(execute(endpoint.client, 'SELECT 1', { SessionId: sessionId, ...TARGET }));
    expect(both.name).toBe('ValidationException');
  });
});

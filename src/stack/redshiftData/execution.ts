import type { S3Client } from '@aws-sdk/client-s3';
import type { Client } from 'pg';
import { LoadError, copyFromS3 } from './copy/s3Copy';
import { connectEngine, engineErrorText, resultSize, toResultSet } from './engine';
import { DialectError, validation } from './errors';
import { gateStatement, type SessionEffect } from './gate/dialectGate';
import type { BoundSql } from './gate/parameters';
import type { Session, SessionManager } from './sessions';
import type { StatementRecord, StatementStore } from './statementStore';

/** What running a statement needs: the engine database, the S3 that COPY reads, the open sessions. */
export interface ExecutionDeps {
  readonly engineUrl: string;
  readonly s3: S3Client;
  readonly store: StatementStore;
  readonly sessions: SessionManager;
}

const CANCELLED = 'Query was cancelled by the user';

/**
 * Runs an accepted statement (one SQL, or a batch's parts in one transaction) after ExecuteStatement has
 * answered, moving it SUBMITTED → STARTED → FINISHED | FAILED | ABORTED. In a session it uses the session's
 * connection and frees the session afterwards; otherwise it opens a connection for this statement alone, as
 * the Data API does, so nothing (temp tables, SET, an open transaction) outlives it.
 */
export async function runStatement(
  deps: ExecutionDeps,
  record: StatementRecord,
  parts: readonly BoundSql[],
  session?: Session,
): Promise<void> {
  let engine: Client | undefined;
  try {
    if (record.cancelled) return;
    engine = session ? await deps.sessions.connection(session) : await connectEngine(deps.engineUrl);
    record.redshiftPid = (engine as unknown as { processID?: number }).processID;
    if (record.subStatements) await runBatch(deps, engine, record, parts);
    else {
      deps.store.transition(record, 'STARTED');
      const effect = await runOne(deps, engine, record, parts[0]!, session);
      if (session && effect === 'state') session.keepsState = true;
      // A failed BEGIN opens nothing; a failed COMMIT or ROLLBACK still ends the block, and so does a
      // statement that commits it (runOne committed).
      if (session && effect === 'begin' && record.status === 'FINISHED') session.inTransaction = true;
      if (session && (effect === 'end' || (effect === 'commits' && record.status === 'FINISHED')))
        session.inTransaction = false;
    }
  } catch (error) {
    // Only a connection failure reaches here: SQL errors are recorded by runOne.
    finish(deps, record, 'FAILED', engineErrorText(error));
  } finally {
    if (session) deps.sessions.release(session);
    else await engine?.end().catch(() => undefined);
  }
}

/** Runs one statement and records its outcome; returns what it did to its session, when it ran. */
async function runOne(
  deps: ExecutionDeps,
  engine: Client,
  record: StatementRecord,
  bound: BoundSql,
  session?: Session,
): Promise<SessionEffect | undefined> {
  const started = process.hrtime.bigint();
  let effect: SessionEffect | undefined;
  try {
    const gated = gateStatement(bound.sql);
    if (gated.kind === 'copy') {
      record.resultRows = await copyFromS3(engine, deps.s3, gated.copy);
    } else {
      effect = gated.sessionEffect;
      const result = await engine.query({ text: gated.sql, values: bound.values, rowMode: 'array' });
      if (result.fields.length > 0) {
        record.hasResultSet = true;
        record.result = toResultSet(result);
        record.resultRows = result.rows.length;
        record.resultSize = resultSize(record.result);
      } else {
        record.resultRows = result.rowCount ?? -1;
      }
      // Redshift commits the open transaction after a statement such as TRUNCATE. It is committed before the
      // statement reports FINISHED, so a client that sees FINISHED finds the work committed and the session free.
      if (effect === 'commits' && session?.inTransaction) await engine.query('COMMIT');
    }
    record.durationNs = Number(process.hrtime.bigint() - started);
    finish(deps, record, record.cancelled ? 'ABORTED' : 'FINISHED', record.cancelled ? CANCELLED : undefined);
  } catch (error) {
    record.durationNs = Number(process.hrtime.bigint() - started);
    const e = error as { code?: string };
    if (record.cancelled || e.code === '57014') finish(deps, record, 'ABORTED', CANCELLED);
    else {
      const text =
        error instanceof DialectError || error instanceof LoadError
          ? `ERROR: ${error.message}`
          : engineErrorText(error);
      finish(deps, record, 'FAILED', text);
    }
  }
  return effect;
}

/** A batch: its parts in order in one transaction; the first failure rolls all back and aborts the rest. */
async function runBatch(
  deps: ExecutionDeps,
  engine: Client,
  batch: StatementRecord,
  parts: readonly BoundSql[],
) {
  deps.store.transition(batch, 'STARTED');
  const subs = batch.subStatements!;
  await engine.query('BEGIN');
  for (let i = 0; i < subs.length; i++) {
    const sub = subs[i]!;
    sub.redshiftPid = batch.redshiftPid;
    deps.store.transition(sub, 'STARTED');
    if (batch.cancelled) sub.cancelled = true;
    await runOne(deps, engine, sub, parts[i]!);
    batch.hasResultSet ||= sub.hasResultSet;
    batch.durationNs += sub.durationNs;
    if (sub.status !== 'FINISHED') {
      await engine.query('ROLLBACK').catch(() => undefined);
      for (const rest of subs.slice(i + 1))
        finish(deps, rest, 'ABORTED', 'a previous statement in the batch failed');
      finish(deps, batch, sub.status === 'ABORTED' ? 'ABORTED' : 'FAILED', sub.error);
      return;
    }
  }
  await engine.query('COMMIT');
  batch.resultRows = subs.reduce((n, s) => n + Math.max(0, s.resultRows), 0);
  finish(deps, batch, 'FINISHED');
}

function finish(
  deps: ExecutionDeps,
  record: StatementRecord,
  status: 'FINISHED' | 'FAILED' | 'ABORTED',
  error?: string,
): void {
  if (error !== undefined) record.error = error;
  deps.store.transition(record, status);
}

/**
 * CancelStatement: a statement not yet started never runs; a running one is cancelled in the engine (the
 * statement, and with it an open transaction, fails as cancelled). Only a running query can be cancelled.
 */
export async function cancelStatement(deps: ExecutionDeps, id: string): Promise<boolean> {
  const record = deps.store.get(id.split(':')[0]!);
  if (record.status === 'SUBMITTED' || record.status === 'PICKED') {
    record.cancelled = true;
    record.error = CANCELLED;
    deps.store.transition(record, 'ABORTED');
    for (const sub of record.subStatements ?? []) finish(deps, sub, 'ABORTED', CANCELLED);
    return true;
  }
  // "To be canceled, a query must be running" (API reference); the refusal's wording is unconfirmed.
  if (record.status !== 'STARTED') {
    throw validation(`Could not cancel a query that is already in ${record.status} state.`);
  }
  record.cancelled = true;
  if (record.redshiftPid === undefined) return true;
  const admin = await connectEngine(deps.engineUrl);
  try {
    const { rows } = await admin.query<{ cancelled: string }>('SELECT pg_cancel_backend($1) AS cancelled', [
      record.redshiftPid,
    ]);
    return rows[0]?.cancelled === 't' || rows[0]?.cancelled === 'true';
  } finally {
    await admin.end().catch(() => undefined);
  }
}

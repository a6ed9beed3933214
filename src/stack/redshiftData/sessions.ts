import { randomUUID } from 'node:crypto';
import type { Client } from 'pg';
import { DataApiError, validation } from './errors';
import type { Target } from './statementStore';

/**
 * Data API sessions (SessionKeepAliveSeconds / SessionId): one engine connection that outlives a statement, so
 * temporary tables, settings and an open transaction carry over. A session runs one statement at a time and
 * queues nothing: a statement sent while another runs is refused. Idle past its keep-alive it is closed (an
 * open transaction rolls back with the connection); after 24 hours it is closed whatever it is doing.
 */
export interface Session {
  readonly id: string;
  readonly target: Target;
  keepAliveSeconds: number;
  /** The statement running in it, when busy. */
  busyWith?: string;
  closed: boolean;
  /** A transaction block is open: the connection must be kept. */
  inTransaction: boolean;
  /** Temporary tables or settings live on the connection: it must be kept. */
  keepsState: boolean;
  connection?: Promise<Client>;
  idleTimer?: NodeJS.Timeout;
  readonly lifetimeTimer: NodeJS.Timeout;
}

/** The Data API's hard cap on a session's life. */
const MAX_SESSION_MS = 24 * 60 * 60 * 1000;

export class SessionManager {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly connect: () => Promise<Client>,
    /** ActiveSessionsExceededException past this many open sessions (500 per cluster or workgroup). */
    private readonly maxSessions = 500,
  ) {}

  open(target: Target, keepAliveSeconds: number): Session {
    if (this.openCount() >= this.maxSessions) {
      throw new DataApiError(
        'ActiveSessionsExceededException',
        `The number of active sessions exceeds the limit of ${this.maxSessions}`,
      );
    }
    const id = randomUUID();
    const session: Session = {
      id,
      target,
      keepAliveSeconds,
      closed: false,
      inTransaction: false,
      keepsState: false,
      lifetimeTimer: setTimeout(() => void this.close(id), MAX_SESSION_MS).unref(),
    };
    this.sessions.set(id, session);
    return session;
  }

  /** The session a statement names; refused when unknown, closed, or busy with another statement. */
  claim(id: string, statementId: string): Session {
    const session = this.sessions.get(id);
    if (!session) throw validation(`Session with Id: ${id} is invalid`);
    if (session.closed) throw validation('Session is not available');
    // Redshift refuses a busy session; its exact error is unconfirmed, so this wording is the stand-in's own.
    if (session.busyWith) {
      throw validation(
        `Session ${id} is busy running statement ${session.busyWith}; a session runs one statement at a time`,
      );
    }
    this.occupy(session, statementId);
    return session;
  }

  /** Marks a new session busy with its first statement. */
  occupy(session: Session, statementId: string): void {
    session.busyWith = statementId;
    if (session.idleTimer) clearTimeout(session.idleTimer);
    session.idleTimer = undefined;
  }

  /** The session's engine connection, opened on first use. */
  connection(session: Session): Promise<Client> {
    session.connection ??= this.connect();
    return session.connection;
  }

  /**
   * The statement ended: the session waits for the next one for its keep-alive, then closes. While it waits with
   * nothing on its connection (no open transaction, no temporary table or setting), the engine connection is
   * given back and reopened by the next statement: a session still counts against the session limit, as on
   * Redshift, but idle sessions do not exhaust PostgreSQL's connections (100 by default, against Redshift's
   * 500 sessions).
   */
  release(session: Session): void {
    session.busyWith = undefined;
    if (session.closed) return;
    if (session.keepAliveSeconds <= 0) {
      void this.close(session.id);
      return;
    }
    if (!session.inTransaction && !session.keepsState && session.connection) {
      const connection = session.connection;
      session.connection = undefined;
      void connection.then((c) => c.end()).catch(() => undefined);
    }
    session.idleTimer = setTimeout(
      () => void this.close(session.id),
      session.keepAliveSeconds * 1000,
    ).unref();
  }

  async close(id: string): Promise<void> {
    const session = this.sessions.get(id);
    if (!session || session.closed) return;
    session.closed = true;
    clearTimeout(session.lifetimeTimer);
    if (session.idleTimer) clearTimeout(session.idleTimer);
    const connection = session.connection;
    session.connection = undefined;
    if (connection) await connection.then((c) => c.end()).catch(() => undefined);
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.sessions.keys()].map((id) => this.close(id)));
  }

  private openCount(): number {
    let n = 0;
    for (const session of this.sessions.values()) if (!session.closed) n++;
    return n;
  }
}

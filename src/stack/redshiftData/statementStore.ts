import { randomUUID } from 'node:crypto';
import type { ColumnMetadata, Field, SqlParameter } from '@aws-sdk/client-redshift-data';
import { DataApiError } from './errors';

/** Statuses as DescribeStatement reports them; PICKED is documented but passes too fast here to be seen. */
export type StatementStatus = 'SUBMITTED' | 'PICKED' | 'STARTED' | 'FINISHED' | 'FAILED' | 'ABORTED';

export const ACTIVE: ReadonlySet<StatementStatus> = new Set(['SUBMITTED', 'PICKED', 'STARTED']);

/** Where a statement was sent, echoed by Execute/Describe (cluster or workgroup, never both). */
export interface Target {
  readonly ClusterIdentifier?: string;
  readonly WorkgroupName?: string;
  readonly Database?: string;
  readonly DbUser?: string;
  readonly SecretArn?: string;
}

export interface ResultSet {
  readonly columns: ColumnMetadata[];
  readonly records: Field[][];
}

/** One statement, or one part (`<id>:<n>`) of a batch. */
export interface StatementRecord {
  readonly id: string;
  readonly sql: string;
  readonly parameters?: SqlParameter[];
  readonly statementName?: string;
  readonly target: Target;
  readonly sessionId?: string;
  readonly createdAt: Date;
  status: StatementStatus;
  updatedAt: Date;
  error?: string;
  hasResultSet: boolean;
  /** Rows returned or affected; -1 when there is no such number. */
  resultRows: number;
  resultSize: number;
  durationNs: number;
  redshiftPid?: number;
  redshiftQueryId?: number;
  result?: ResultSet;
  /** Parts of a batch, in order. */
  subStatements?: StatementRecord[];
  /** CancelStatement was called before the statement started. */
  cancelled?: boolean;
}

/** Results are kept 24 hours, as the Data API keeps them. */
const RETENTION_MS = 24 * 60 * 60 * 1000;

/** The statements the endpoint has accepted, by id; batch parts are found as `<id>:<n>`. */
export class StatementStore {
  private readonly statements = new Map<string, StatementRecord>();
  private nextQueryId = 1;

  create(fields: {
    sql: string;
    parameters?: SqlParameter[];
    statementName?: string;
    target: Target;
    sessionId?: string;
    parts?: readonly string[];
  }): StatementRecord {
    this.forgetExpired();
    const id = randomUUID();
    const now = new Date();
    const base = (partId: string, sql: string): StatementRecord => ({
      id: partId,
      sql,
      parameters: fields.parameters,
      statementName: fields.statementName,
      target: fields.target,
      sessionId: fields.sessionId,
      createdAt: now,
      updatedAt: now,
      status: 'SUBMITTED',
      hasResultSet: false,
      resultRows: -1,
      resultSize: -1,
      durationNs: 0,
    });
    const record = base(id, fields.sql);
    if (fields.parts) record.subStatements = fields.parts.map((sql, i) => base(`${id}:${i + 1}`, sql));
    this.statements.set(id, record);
    return record;
  }

  /** A statement or batch part by id; unknown ids fail as the Data API fails them. */
  get(id: string): StatementRecord {
    const [base, part] = id.split(':');
    const record = this.statements.get(base ?? '');
    const found = part === undefined ? record : record?.subStatements?.[Number(part) - 1];
    if (!found) {
      throw new DataApiError('ResourceNotFoundException', `Query does not exist: ${id}`, { ResourceId: id });
    }
    return found;
  }

  /** Statements not yet finished, for the active-statement limit. */
  activeCount(): number {
    let n = 0;
    for (const record of this.statements.values()) if (ACTIVE.has(record.status)) n++;
    return n;
  }

  /** Newest first, as ListStatements returns them. */
  list(): StatementRecord[] {
    return [...this.statements.values()].reverse();
  }

  /** Marks a statement (or part) as changed and gives it a query id when it starts. */
  transition(record: StatementRecord, status: StatementStatus): void {
    record.status = status;
    record.updatedAt = new Date();
    if (status === 'STARTED') record.redshiftQueryId = this.nextQueryId++;
  }

  private forgetExpired(): void {
    const cutoff = Date.now() - RETENTION_MS;
    for (const [id, record] of this.statements) {
      if (record.createdAt.getTime() >= cutoff) break;
      if (!ACTIVE.has(record.status)) this.statements.delete(id);
    }
  }
}

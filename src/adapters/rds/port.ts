import type { Row, SqlRunner, SqlValue } from '../warehouse/port';

/**
 * The service's operational database (user behaviour, catalogue, staff directory). Read with
 * parameterised SQL; large reads page by key so a day's choices never sit in memory at once.
 */
export interface Rds extends SqlRunner {
  /**
   * The rows of one query, `rowsPerPage` at a time, read through one cursor in one read-only transaction: the
   * query runs once (one pass over its index, one snapshot) however many pages it yields. Stopping the
   * iteration early closes the cursor and its transaction.
   */
  pages<R extends Row = Row>(
    sql: string,
    params: readonly SqlValue[],
    rowsPerPage: number,
  ): AsyncIterable<R[]>;
  close(): Promise<void>;
}

/** The RDS database for the few who write to it in one go (the staff import). */
export interface TransactionalRds extends Rds {
  /** Runs `work` on one connection in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: SqlRunner) => Promise<T>): Promise<T>;
}

import type { SqlRunner } from '../warehouse/port';

/**
 * The service's operational database (user behaviour, catalogue, staff directory). Read with
 * parameterised SQL; large reads page by key so a day's choices never sit in memory at once.
 */
export interface Rds extends SqlRunner {
  close(): Promise<void>;
}

/** The RDS database for the few who write to it in one go (the staff import). */
export interface TransactionalRds extends Rds {
  /** Runs `work` on one connection in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: SqlRunner) => Promise<T>): Promise<T>;
}

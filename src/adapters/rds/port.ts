import type { SqlRunner } from '../warehouse/port';

/**
 * The service's operational database (user behaviour, catalogue, staff directory). Read with
 * parameterised SQL; large reads page by key so a day's choices never sit in memory at once.
 */
export interface Rds extends SqlRunner {
  close(): Promise<void>;
}

/** The embedded local stack: Temporal dev server, dynalite, the SES stand-in and the machine's PostgreSQL. */
export { stackUp, stackDown, stackStatus, type StopResult, type StackUpOptions } from './stack';
export {
  findTemporalCli,
  ensureTemporalCli,
  bundledTemporalCliPath,
  TEMPORAL_CLI_VERSION,
} from './temporalCli';
export { ensurePostgresServer, ensureDatabase, probePostgres } from './postgres';
export { receivedEmails, type StoredEmail } from './ses';
export type { StackLog, StackPartName, StackPartStatus, StackStatus } from './types';

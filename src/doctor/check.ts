import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SESClient } from '@aws-sdk/client-ses';
import type { Client } from '@temporalio/client';
import type { Rds } from '../adapters/rds/port';
import type { Warehouse } from '../adapters/warehouse/port';
import type { Config } from '../config/config';

/** `skip`: not applicable here (a Redshift check on PostgreSQL, SES verification locally); never a failure. */
export type CheckStatus = 'pass' | 'fail' | 'skip';

export interface CheckResult {
  readonly status: CheckStatus;
  /** What was found, one line. */
  readonly detail: string;
  /** What to do about a failure, one line. */
  readonly fix?: string;
}

/** The clients checks use, each made on first use (a check that never runs opens nothing). */
export interface DoctorContext {
  readonly config: Config;
  temporal(): Promise<Client>;
  dynamo(): DynamoDBClient;
  warehouse(): Warehouse;
  rds(): Rds;
  ses(): SESClient;
  s3(): S3Client;
}

/**
 * One preflight check. Add one by writing a file under `src/doctor/checks/` and listing it in `DOCTOR_CHECKS`.
 * A check that throws fails with the error's first line (see `runChecks`).
 */
export interface DoctorCheck {
  readonly name: string;
  run(context: DoctorContext): Promise<CheckResult>;
}

export const pass = (detail: string): CheckResult => ({ status: 'pass', detail });
export const fail = (detail: string, fix: string): CheckResult => ({ status: 'fail', detail, fix });
export const skip = (detail: string): CheckResult => ({ status: 'skip', detail });

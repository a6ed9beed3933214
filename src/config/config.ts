import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../errors';
import { DEFAULT_STAGE_TIMEOUTS, type StageTimeouts } from '../workflows/stageTimeouts';
import { LOCAL_PORTS, LOCAL_REDSHIFT } from './localStack';
import { redact } from './redact';
export { LOCAL_PORTS, LOCAL_REDSHIFT } from './localStack';
export { redactUrl } from './redact';

/**
 * The one place that reads the environment. Everything else receives a typed, frozen `Config`.
 *
 * `LIBREPORT_ENV=local` (the default) points every endpoint at the embedded local stack;
 * `LIBREPORT_ENV=aws` leaves endpoints unset so the AWS SDKs use their regional defaults and the
 * default credential chain, and makes the Redshift Data API the default warehouse.
 */
export interface Config {
  readonly env: 'local' | 'aws';
  readonly dataDir: string;
  readonly toolsDir: string;
  readonly temporal: {
    readonly address: string;
    readonly namespace: string;
    readonly taskQueue: string;
    readonly uiUrl: string;
    readonly cliPath?: string;
    readonly tls: boolean;
    readonly tlsCertPath?: string;
    readonly tlsKeyPath?: string;
    readonly apiKey?: string;
  };
  readonly aws: { readonly region: string };
  readonly dynamo: {
    readonly endpoint?: string;
    readonly table: string;
    /** 0 means "size to the table" (see extract activities). */
    readonly segments: number;
  };
  readonly warehouse: PgWarehouseConfig | RedshiftWarehouseConfig;
  /** S3 for COPY staging and the report archive; an endpoint only for a local S3-compatible server. */
  readonly s3: { readonly endpoint?: string };
  readonly rds: { readonly url: string };
  readonly ses: {
    readonly endpoint?: string;
    readonly region: string;
    readonly sender: string;
    readonly alertTo?: string;
  };
  readonly report: {
    readonly timeZone: string;
    readonly locale: 'ko' | 'en';
    readonly dir: string;
    /** When set, archived reports go to this S3 bucket instead of `dir`. */
    readonly s3Bucket?: string;
    readonly s3Prefix: string;
    readonly quickChartUrl?: string;
  };
  readonly schedule: { readonly id: string; readonly cron: string; readonly timeZone: string };
  /**
   * The Schedule of `sweepUndated`, which files the items the day index cannot see (in SCHEDULE_TIMEZONE, like the
   * daily one). `segments`: parallel Scan segments of each sweep.
   */
  readonly sweepSchedule: { readonly id: string; readonly cron: string; readonly segments: number };
  /** Heartbeat timeouts of the stages, passed to the runs this process starts. */
  readonly timeouts: StageTimeouts;
  readonly worker: {
    readonly maxConcurrentActivities: number;
    /**
     * How far V8 lets the worker's heap grow past what survived the last full collection, in percent
     * (0: V8's own choice, up to 4×). See `limitHeapGrowth`.
     */
    readonly heapGrowthPercent: number;
  };
  readonly cli: {
    /** How often `libreport run` asks a running day for its progress. */
    readonly progressIntervalMs: number;
  };
  /** Unset: `libreport worker` logs at info, commands that run a worker in passing at warn. */
  readonly logLevel?: LogLevel;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface PgWarehouseConfig {
  readonly kind: 'pg';
  readonly url: string;
}

export interface RedshiftWarehouseConfig {
  readonly kind: 'redshift-data';
  readonly clusterId?: string;
  readonly workgroup?: string;
  readonly database: string;
  readonly secretArn?: string;
  readonly dbUser?: string;
  readonly iamRole: string;
  readonly stagingBucket: string;
  readonly stagingPrefix: string;
  /** The Data API endpoint; unset on AWS (the SDK's regional endpoint), the local stand-in otherwise. */
  readonly endpoint?: string;
  /**
   * Local only: the PostgreSQL database the local Redshift Data API endpoint runs statements on
   * (WAREHOUSE_URL), so `libreport stack up` can make sure it exists and start the endpoint on it.
   */
  readonly engineUrl?: string;
}

const optional = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const url = (example: string) =>
  z.string().refine(
    (v) => {
      try {
        new URL(v);
        return true;
      } catch {
        return false;
      }
    },
    { message: `must be a URL such as ${example}` },
  );

const positiveInt = z.coerce.number().int('must be a whole number').min(0, 'must be 0 or more');

/** A heartbeat timeout: at least 3 s, so heartbeats (a third of it apart) stay a second or more apart. */
const seconds = positiveInt
  .min(3, 'must be at least 3 (seconds)')
  .max(3600, 'must be at most 3600 (seconds)');

const identifier = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_.-]{0,254}$/, 'must be a plain name (letters, digits, _ . -)');

const cron = (example: string) =>
  z.string().regex(/^\S+( \S+){4}$/, `must be a 5-field cron expression such as "${example}"`);

const hostPort = z.string().regex(/^[A-Za-z0-9.\-[\]:]+:\d{1,5}$/, 'must be host:port, e.g. 127.0.0.1:7233');

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
const timeZone = z.string().refine(isTimeZone, { message: 'must be an IANA time zone such as Asia/Seoul' });

const envSchema = z.object({
  LIBREPORT_ENV: z.enum(['local', 'aws']).default('local'),
  LIBREPORT_DATA_DIR: z.string().default('.data'),
  LIBREPORT_TOOLS_DIR: z.string().default('.tools'),
  TEMPORAL_ADDRESS: hostPort.default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: identifier.default('default'),
  TEMPORAL_TASK_QUEUE: identifier.default('libreport'),
  TEMPORAL_UI_URL: url('http://127.0.0.1:8233').default('http://127.0.0.1:8233'),
  TEMPORAL_CLI: optional,
  TEMPORAL_TLS: z.enum(['true', 'false']).default('false'),
  TEMPORAL_TLS_CERT: optional,
  TEMPORAL_TLS_KEY: optional,
  TEMPORAL_API_KEY: optional,
  AWS_REGION: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region such as ap-northeast-2')
    .default('ap-northeast-2'),
  DYNAMODB_ENDPOINT: optional.pipe(url('http://127.0.0.1:4567').optional()),
  DYNAMODB_TABLE: identifier.default('library_search'),
  DYNAMODB_SEGMENTS: positiveInt.max(1000000, 'must be at most 1000000').default(0),
  WAREHOUSE_KIND: z.enum(['pg', 'redshift-data']).optional(),
  WAREHOUSE_URL: url('postgres://postgres@127.0.0.1:5432/libreport_dw').default(
    'postgres://postgres@127.0.0.1:5432/libreport_dw',
  ),
  REDSHIFT_CLUSTER_ID: optional,
  REDSHIFT_WORKGROUP: optional,
  REDSHIFT_DATABASE: identifier.default('dev'),
  REDSHIFT_SECRET_ARN: optional,
  REDSHIFT_DB_USER: optional,
  REDSHIFT_IAM_ROLE: optional,
  STAGING_S3_BUCKET: optional,
  STAGING_S3_PREFIX: z.string().default('libreport/staging'),
  REDSHIFT_DATA_ENDPOINT: optional.pipe(url('http://127.0.0.1:4569').optional()),
  S3_ENDPOINT: optional.pipe(url('http://127.0.0.1:4568').optional()),
  RDS_URL: url('postgres://postgres@127.0.0.1:5432/libreport_rds').default(
    'postgres://postgres@127.0.0.1:5432/libreport_rds',
  ),
  SES_ENDPOINT: optional.pipe(url('http://127.0.0.1:8005').optional()),
  SES_REGION: optional,
  REPORT_SENDER: z.string().email('must be an email address').default('report@libreport.local'),
  ALERT_EMAIL: optional.pipe(z.string().email('must be an email address').optional()),
  REPORT_TIMEZONE: timeZone.default('Asia/Seoul'),
  REPORT_LOCALE: z.enum(['ko', 'en']).default('ko'),
  REPORT_DIR: z.string().default('reports'),
  REPORT_S3_BUCKET: optional,
  REPORT_S3_PREFIX: z.string().default('libreport/reports'),
  QUICKCHART_URL: optional.pipe(url('https://quickchart.example.com').optional()),
  SCHEDULE_ID: identifier.default('libreport-daily'),
  SCHEDULE_CRON: cron('0 7 * * *').default('0 7 * * *'),
  SCHEDULE_TIMEZONE: timeZone.default('Asia/Seoul'),
  SWEEP_SCHEDULE_ID: identifier.default('libreport-sweep'),
  SWEEP_SCHEDULE_CRON: cron('0 3 * * 0').default('0 3 * * 0'),
  SWEEP_SEGMENTS: positiveInt.min(1, 'must be at least 1').max(1000, 'must be at most 1000').default(4),
  SCAN_HEARTBEAT_TIMEOUT_SECONDS: seconds.default(DEFAULT_STAGE_TIMEOUTS.scanHeartbeatSeconds),
  STAGE_HEARTBEAT_TIMEOUT_SECONDS: seconds.default(DEFAULT_STAGE_TIMEOUTS.heartbeatSeconds),
  SEND_HEARTBEAT_TIMEOUT_SECONDS: seconds.default(DEFAULT_STAGE_TIMEOUTS.sendHeartbeatSeconds),
  QUICK_STAGE_TIMEOUT_SECONDS: seconds.default(DEFAULT_STAGE_TIMEOUTS.quickSeconds),
  WORKER_MAX_CONCURRENT_ACTIVITIES: positiveInt.min(1, 'must be at least 1').default(8),
  WORKER_HEAP_GROWTH_PERCENT: positiveInt.max(300, 'must be 300 or less').default(50),
  LIBREPORT_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).optional(),
  LIBREPORT_PROGRESS_INTERVAL_MS: positiveInt.min(10, 'must be at least 10').default(500),
});

/** Parse the environment once. Throws `ConfigError` naming the first bad variable. */
export function loadConfig(rawEnv: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  // An empty value (`WAREHOUSE_KIND=` in .env) means "not set", so the default applies.
  const env = Object.fromEntries(
    Object.entries(rawEnv).filter(([, value]) => value !== undefined && value.trim() !== ''),
  );
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const variable = String(issue.path[0] ?? 'environment');
    const value = env[variable];
    const shown = value === undefined ? '' : ` (got "${redact(variable, value)}")`;
    throw new ConfigError(`${variable} ${issue.message}${shown}; fix it in your environment or .env file`);
  }
  const e = parsed.data;
  const local = e.LIBREPORT_ENV === 'local';
  const warehouseKind = e.WAREHOUSE_KIND ?? (local ? 'pg' : 'redshift-data');

  const s3Endpoint = e.S3_ENDPOINT ?? (local ? `http://127.0.0.1:${LOCAL_PORTS.s3}` : undefined);
  let warehouse: Config['warehouse'];
  if (warehouseKind === 'pg') {
    warehouse = { kind: 'pg', url: e.WAREHOUSE_URL };
  } else {
    if (local) {
      // The local stand-ins need no real names: default them so `WAREHOUSE_KIND=redshift-data` alone works.
      e.REDSHIFT_CLUSTER_ID ??= e.REDSHIFT_WORKGROUP ? undefined : LOCAL_REDSHIFT.clusterId;
      e.STAGING_S3_BUCKET ??= LOCAL_REDSHIFT.stagingBucket;
      e.REDSHIFT_IAM_ROLE ??= LOCAL_REDSHIFT.iamRole;
    }
    if (!e.REDSHIFT_CLUSTER_ID && !e.REDSHIFT_WORKGROUP) {
      throw new ConfigError(
        'WAREHOUSE_KIND=redshift-data needs REDSHIFT_CLUSTER_ID (provisioned) or REDSHIFT_WORKGROUP (serverless)',
      );
    }
    if (!e.STAGING_S3_BUCKET)
      throw new ConfigError('WAREHOUSE_KIND=redshift-data needs STAGING_S3_BUCKET for COPY staging');
    if (!e.REDSHIFT_IAM_ROLE)
      throw new ConfigError('WAREHOUSE_KIND=redshift-data needs REDSHIFT_IAM_ROLE for COPY from S3');
    warehouse = {
      kind: 'redshift-data',
      clusterId: e.REDSHIFT_CLUSTER_ID,
      workgroup: e.REDSHIFT_WORKGROUP,
      database: e.REDSHIFT_DATABASE,
      secretArn: e.REDSHIFT_SECRET_ARN,
      dbUser: e.REDSHIFT_DB_USER,
      iamRole: e.REDSHIFT_IAM_ROLE,
      stagingBucket: e.STAGING_S3_BUCKET,
      stagingPrefix: e.STAGING_S3_PREFIX.replace(/^\/+|\/+$/g, ''),
      endpoint:
        e.REDSHIFT_DATA_ENDPOINT ?? (local ? `http://127.0.0.1:${LOCAL_PORTS.redshiftData}` : undefined),
      engineUrl: local ? e.WAREHOUSE_URL : undefined,
    };
  }
  if (e.TEMPORAL_TLS_CERT && !e.TEMPORAL_TLS_KEY)
    throw new ConfigError('TEMPORAL_TLS_CERT is set but TEMPORAL_TLS_KEY is not');

  const config: Config = {
    env: e.LIBREPORT_ENV,
    dataDir: path.resolve(cwd, e.LIBREPORT_DATA_DIR),
    toolsDir: path.resolve(cwd, e.LIBREPORT_TOOLS_DIR),
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      taskQueue: e.TEMPORAL_TASK_QUEUE,
      uiUrl: e.TEMPORAL_UI_URL.replace(/\/+$/, ''),
      cliPath: e.TEMPORAL_CLI,
      tls: e.TEMPORAL_TLS === 'true' || Boolean(e.TEMPORAL_TLS_CERT) || Boolean(e.TEMPORAL_API_KEY),
      tlsCertPath: e.TEMPORAL_TLS_CERT,
      tlsKeyPath: e.TEMPORAL_TLS_KEY,
      apiKey: e.TEMPORAL_API_KEY,
    },
    aws: { region: e.AWS_REGION },
    dynamo: {
      endpoint: e.DYNAMODB_ENDPOINT ?? (local ? `http://127.0.0.1:${LOCAL_PORTS.dynalite}` : undefined),
      table: e.DYNAMODB_TABLE,
      segments: e.DYNAMODB_SEGMENTS,
    },
    warehouse,
    s3: { endpoint: s3Endpoint },
    rds: { url: e.RDS_URL },
    ses: {
      endpoint: e.SES_ENDPOINT ?? (local ? `http://127.0.0.1:${LOCAL_PORTS.ses}` : undefined),
      region: e.SES_REGION ?? e.AWS_REGION,
      sender: e.REPORT_SENDER,
      alertTo: e.ALERT_EMAIL,
    },
    report: {
      timeZone: e.REPORT_TIMEZONE,
      locale: e.REPORT_LOCALE,
      dir: path.resolve(cwd, e.REPORT_DIR),
      s3Bucket: e.REPORT_S3_BUCKET,
      s3Prefix: e.REPORT_S3_PREFIX,
      quickChartUrl: e.QUICKCHART_URL,
    },
    schedule: { id: e.SCHEDULE_ID, cron: e.SCHEDULE_CRON, timeZone: e.SCHEDULE_TIMEZONE },
    sweepSchedule: { id: e.SWEEP_SCHEDULE_ID, cron: e.SWEEP_SCHEDULE_CRON, segments: e.SWEEP_SEGMENTS },
    timeouts: {
      scanHeartbeatSeconds: e.SCAN_HEARTBEAT_TIMEOUT_SECONDS,
      heartbeatSeconds: e.STAGE_HEARTBEAT_TIMEOUT_SECONDS,
      sendHeartbeatSeconds: e.SEND_HEARTBEAT_TIMEOUT_SECONDS,
      quickSeconds: e.QUICK_STAGE_TIMEOUT_SECONDS,
    },
    worker: {
      maxConcurrentActivities: e.WORKER_MAX_CONCURRENT_ACTIVITIES,
      heapGrowthPercent: e.WORKER_HEAP_GROWTH_PERCENT,
    },
    cli: { progressIntervalMs: e.LIBREPORT_PROGRESS_INTERVAL_MS },
    logLevel: e.LIBREPORT_LOG_LEVEL,
  };
  return deepFreeze(config);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

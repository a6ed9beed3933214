import path from 'node:path';
import { ConfigError } from '../errors';
import { envSchema } from './envSchema';
import { LOCAL_PORTS, LOCAL_REDSHIFT } from './localStack';
import { redact } from './redact';
import type { Config } from './types';
export { LOCAL_PORTS, LOCAL_REDSHIFT } from './localStack';
export { redactUrl } from './redact';
export type { Config, LogLevel, PgWarehouseConfig, RedshiftWarehouseConfig } from './types';

/**
 * The one place that reads the environment. Everything else receives a typed, frozen `Config`.
 *
 * `LIBREPORT_ENV=local` (the default) points every endpoint at the embedded local stack;
 * `LIBREPORT_ENV=aws` leaves endpoints unset so the AWS SDKs use their regional defaults and the
 * default credential chain, and makes the Redshift Data API the default warehouse.
 */
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

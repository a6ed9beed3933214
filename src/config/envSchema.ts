import { z } from 'zod';
import { DEFAULT_STAGE_TIMEOUTS } from '../workflows/stageTimeouts';

/** Every environment variable libreport reads, with its default and what a valid value looks like. */
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

export const envSchema = z.object({
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

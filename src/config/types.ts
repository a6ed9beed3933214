import type { StageTimeouts } from '../workflows/stageTimeouts';

/** The typed, frozen configuration `loadConfig` builds; the shape every other module receives. */
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

import { LOCAL_PORTS, redactUrl, type Config } from '../config/config';
import { LibreportError, ServiceUnavailableError, UserInputError } from '../errors';
import { dynaliteServer } from './dynalite';
import { ensureService, serviceStatus, stopService, type LocalService } from './localService';
import { databaseName, ensureDatabase, ensurePostgresServer, probePostgres } from './postgres';
import { redshiftDataStandIn } from './redshiftDataStandIn';
import { s3StandIn } from './s3';
import { sesStandIn } from './ses';
import { temporalDevServer } from './temporal';
import type { StackLog, StackPartName, StackPartStatus, StackStatus } from './types';

/** The stand-ins libreport runs as its own background processes. PostgreSQL is the machine's, never ours. */
function localServices(config: Config): LocalService[] {
  // With LIBREPORT_ENV=aws the configured endpoints are AWS's; the local stand-ins keep their default ports.
  const local = config.env === 'local';
  const temporal = local
    ? { address: config.temporal.address, namespace: config.temporal.namespace, uiUrl: config.temporal.uiUrl }
    : {
        address: `127.0.0.1:${LOCAL_PORTS.temporal}`,
        namespace: 'default',
        uiUrl: `http://127.0.0.1:${LOCAL_PORTS.temporalUi}`,
      };
  const dynamoEndpoint = (local && config.dynamo.endpoint) || `http://127.0.0.1:${LOCAL_PORTS.dynalite}`;
  const sesEndpoint = (local && config.ses.endpoint) || `http://127.0.0.1:${LOCAL_PORTS.ses}`;
  return [
    temporalDevServer(config, config.dataDir, temporal),
    dynaliteServer(config.dataDir, dynamoEndpoint, config.dynamo.table),
    sesStandIn(sesEndpoint),
    ...(local ? awsStandIns(config) : []),
  ];
}

/**
 * The AWS path's stand-ins, when the configuration uses them: S3 (COPY staging, the report archive) and the
 * Redshift Data API endpoint, which runs its statements on the PostgreSQL database WAREHOUSE_URL names.
 */
function awsStandIns(config: Config): LocalService[] {
  const warehouse = config.warehouse;
  const buckets = [
    ...(warehouse.kind === 'redshift-data' ? [warehouse.stagingBucket] : []),
    ...(config.report.s3Bucket ? [config.report.s3Bucket] : []),
  ];
  const s3Endpoint = config.s3.endpoint ?? `http://127.0.0.1:${LOCAL_PORTS.s3}`;
  const services: LocalService[] = [];
  if (buckets.length > 0) services.push(s3StandIn(config.dataDir, s3Endpoint, [...new Set(buckets)]));
  if (warehouse.kind === 'redshift-data' && warehouse.endpoint && warehouse.engineUrl) {
    services.push(
      redshiftDataStandIn(warehouse.endpoint, warehouse.engineUrl, s3Endpoint, config.aws.region),
    );
  }
  return services;
}

interface PgTarget {
  readonly part: Extract<StackPartName, 'warehouse' | 'rds'>;
  readonly url: string;
  readonly variable: string;
}

function pgTargets(config: Config): PgTarget[] {
  const targets: PgTarget[] = [];
  // Locally, the Redshift endpoint's statements run on the WAREHOUSE_URL database: it must exist too.
  const warehouseUrl = config.warehouse.kind === 'pg' ? config.warehouse.url : config.warehouse.engineUrl;
  if (warehouseUrl) targets.push({ part: 'warehouse', url: warehouseUrl, variable: 'WAREHOUSE_URL' });
  targets.push({ part: 'rds', url: config.rds.url, variable: 'RDS_URL' });
  return targets;
}

/** Options for `stackUp`. */
export interface StackUpOptions {
  /** Only these parts (default: all). `warehouse` and `rds` make sure the server answers and the database exists. */
  readonly only?: readonly StackPartName[];
}

/**
 * Starts whatever part of the local stack is not running (reusing what is) and returns the resulting status.
 * Refuses with LIBREPORT_ENV=aws. Several failures are reported together in one error.
 */
export async function stackUp(
  config: Config,
  log: StackLog,
  options: StackUpOptions = {},
): Promise<StackStatus> {
  const wanted = (part: StackPartName) => options.only === undefined || options.only.includes(part);
  if (config.env === 'aws') {
    throw new UserInputError(
      'LIBREPORT_ENV=aws uses AWS services: there is no local stack to start (unset LIBREPORT_ENV to run locally)',
    );
  }
  const postgres = async () => {
    for (const target of pgTargets(config).filter((t) => wanted(t.part))) {
      await ensurePostgresServer(target.url, target.variable, log);
      await ensureDatabase(target.url, target.variable, log);
    }
  };
  const outcomes = await Promise.allSettled([
    postgres(),
    ...localServices(config)
      .filter((service) => wanted(service.part))
      .map((service) => ensureService(config.dataDir, service, log)),
  ]);
  const failures = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) {
    const messages = failures.map((f) => (f instanceof Error ? f.message : String(f)));
    const allOurs = failures.every((f) => f instanceof LibreportError);
    throw allOurs ? new ServiceUnavailableError(messages.join('; ')) : (failures[0] as Error);
  }
  return stackStatus(config);
}

/** What answers at each configured endpoint and which of those processes libreport started. */
export async function stackStatus(config: Config): Promise<StackStatus> {
  const services = await Promise.all(
    localServices(config).map((service) => serviceStatus(config.dataDir, service)),
  );
  // The local Redshift endpoint is the warehouse part; its engine database is not listed a second time.
  const databases = await Promise.all(
    pgTargets(config)
      .filter((t) => t.part !== 'warehouse' || config.warehouse.kind === 'pg')
      .map(pgStatus),
  );
  const parts = [...services, ...databases];
  if (config.warehouse.kind === 'redshift-data' && !services.some((s) => s.name === 'warehouse')) {
    parts.splice(services.length, 0, redshiftStatus(config));
  }
  return { env: config.env, dataDir: config.dataDir, parts };
}

/** Outcome of `stack down` for one part. */
export interface StopResult {
  readonly name: StackPartName;
  /** The pid we stopped, when we had started it. */
  readonly stoppedPid?: number;
}

/**
 * The stand-ins `stack up` starts only under some configurations (S3 for a redshift-data warehouse or a report
 * bucket, the Redshift Data API endpoint), as `stack down` finds them: by pid file and marker, whatever the
 * configuration says now. Only their names matter here, not their endpoints.
 */
function optionalStandIns(config: Config): LocalService[] {
  const s3Endpoint = `http://127.0.0.1:${LOCAL_PORTS.s3}`;
  return [
    s3StandIn(config.dataDir, s3Endpoint, []),
    redshiftDataStandIn(`http://127.0.0.1:${LOCAL_PORTS.redshiftData}`, '', s3Endpoint, config.aws.region),
  ];
}

/**
 * Stops the stand-ins libreport started (pid files only): the configured ones, and any other `stack up` started
 * under an earlier configuration (e.g. with WAREHOUSE_KIND=redshift-data), which are listed only when stopped.
 * Never stops PostgreSQL or a server someone else runs.
 */
export async function stackDown(config: Config): Promise<StopResult[]> {
  const stop = async (service: LocalService): Promise<StopResult> => {
    const pid = await stopService(config.dataDir, service);
    return pid === undefined ? { name: service.part } : { name: service.part, stoppedPid: pid };
  };
  const configured = localServices(config);
  const others = optionalStandIns(config).filter(
    (service) => !configured.some((c) => c.processName === service.processName),
  );
  const [stopped, otherStopped] = await Promise.all([
    Promise.all(configured.map(stop)),
    Promise.all(others.map(stop)),
  ]);
  return [...stopped, ...otherStopped.filter((result) => result.stoppedPid !== undefined)];
}

async function pgStatus(target: PgTarget): Promise<StackPartStatus> {
  const probe = await probePostgres(target.url);
  const status = (running: boolean, note?: string): StackPartStatus => ({
    name: target.part,
    running,
    managed: false,
    endpoint: redactUrl(target.url),
    ...(note ? { note } : {}),
  });
  switch (probe.state) {
    case 'up':
      return status(true);
    case 'no-database':
      return status(true, `database ${databaseName(target.url)} is missing: run "libreport stack up"`);
    case 'rejected':
      return status(true, `login refused: check ${target.variable}`);
    case 'refused':
      return status(false, `not reachable (${probe.reason})`);
  }
}

function redshiftStatus(config: Config): StackPartStatus {
  const w = config.warehouse.kind === 'redshift-data' ? config.warehouse : undefined;
  const where = w?.workgroup ? `workgroup/${w.workgroup}` : `cluster/${w?.clusterId ?? ''}`;
  return {
    name: 'warehouse',
    running: false,
    managed: false,
    endpoint: `redshift-data://${where}/${w?.database ?? ''}`,
    note: 'Redshift through the Data API: not part of the local stack',
  };
}

import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { redactUrl } from '../config/config';
import { ConfigError, ServiceUnavailableError } from '../errors';
import { hostPort, isLoopbackHost, sleep } from './probe';
import { onPath } from './temporalCli';
import type { StackLog } from './types';

const run = promisify(execFile);
const CONNECT_TIMEOUT_MS = 3000;
/** A cluster started by pg_ctlcluster usually accepts connections within a second or two. */
const START_WAIT_MS = 30_000;

/** The same server's `postgres` maintenance database, where CREATE DATABASE is issued. */
export function maintenanceUrl(url: string): string {
  const u = new URL(url);
  u.pathname = '/postgres';
  return u.toString();
}

/** The database a connection string names (its path), e.g. `libreport_dw`. */
export function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, '')) || 'postgres';
}

export type PgProbe =
  | { readonly state: 'up' }
  | { readonly state: 'no-database' }
  | { readonly state: 'refused'; readonly reason: string }
  | { readonly state: 'rejected'; readonly reason: string };

/** Connects once: up, the server answers but the database is missing, nothing answers, or login refused. */
export async function probePostgres(url: string): Promise<PgProbe> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return { state: 'up' };
  } catch (error) {
    const e = error as { code?: string; message?: string };
    if (e.code === '3D000') return { state: 'no-database' };
    if (e.code === '28P01' || e.code === '28000')
      return { state: 'rejected', reason: e.message ?? 'login refused' };
    return { state: 'refused', reason: e.code ?? e.message ?? 'no answer' };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Makes sure a PostgreSQL server answers at `url`, starting the machine's cluster with pg_ctlcluster
 * when it is installed but stopped. `variable` names the setting to fix in error messages.
 */
export async function ensurePostgresServer(url: string, variable: string, log: StackLog): Promise<void> {
  const first = await probePostgres(maintenanceUrl(url));
  if (first.state === 'up' || first.state === 'no-database') return;
  if (first.state === 'rejected') {
    throw new ConfigError(
      `PostgreSQL at ${redactUrl(url)} refused the login (${first.reason}); fix ${variable}`,
    );
  }
  const { host } = hostPort(url);
  const pgCtlCluster = onPath('pg_ctlcluster');
  if (!isLoopbackHost(host) || !pgCtlCluster) {
    throw new ServiceUnavailableError(
      `PostgreSQL does not answer at ${redactUrl(url)} (${first.reason}); ` +
        (isLoopbackHost(host)
          ? `install and start it (Debian/Ubuntu: "apt-get install postgresql") or point ${variable} at a running server`
          : `start that server or point ${variable} at a running one`),
    );
  }
  let started = 0;
  const problems: string[] = [];
  for (const version of clusterVersions()) {
    log(`postgresql: starting cluster ${version}/main with pg_ctlcluster`);
    try {
      await run(pgCtlCluster, ['--skip-systemctl-redirect', version, 'main', 'start']);
      started += 1;
    } catch (error) {
      problems.push(`${version}/main: ${firstLine(error)}`);
    }
  }
  if (started === 0) {
    throw new ServiceUnavailableError(
      `PostgreSQL does not answer at ${redactUrl(url)} (${first.reason}) and no cluster could be started` +
        `${problems.length ? ` (${problems.join('; ')})` : ' (none in /etc/postgresql)'}; ` +
        `run "apt-get install postgresql" or point ${variable} at a running server`,
    );
  }
  const deadline = Date.now() + START_WAIT_MS;
  for (;;) {
    const next = await probePostgres(maintenanceUrl(url));
    if (next.state === 'up' || next.state === 'no-database') return;
    if (Date.now() >= deadline) {
      throw new ServiceUnavailableError(
        `PostgreSQL still does not answer at ${redactUrl(url)} after pg_ctlcluster start (${'reason' in next ? next.reason : ''}); ` +
          `check "pg_lsclusters" or point ${variable} at a running server`,
      );
    }
    await sleep(500);
  }
}

/** Creates the database `url` names when it does not exist yet. */
export async function ensureDatabase(url: string, variable: string, log: StackLog): Promise<void> {
  const name = databaseName(url);
  // CREATE DATABASE cannot take its name as a parameter, so only plain identifiers are accepted.
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(name)) {
    throw new ConfigError(`${variable} names the database "${name}"; use letters, digits and _ only`);
  }
  const client = new Client({
    connectionString: maintenanceUrl(url),
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const existing = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (existing.rowCount) return;
    log(`postgresql: creating database ${name}`);
    await client.query(`CREATE DATABASE "${name}"`);
  } catch (error) {
    // A concurrent `stack up` created it first.
    if ((error as { code?: string }).code !== '42P04') throw error;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function clusterVersions(): string[] {
  try {
    return readdirSync('/etc/postgresql')
      .filter((v) => /^\d+(\.\d+)?$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
  } catch {
    return [];
  }
}

function firstLine(error: unknown): string {
  const e = error as { stderr?: string; stdout?: string; message?: string };
  return (e.stderr?.trim() || e.stdout?.trim() || e.message || String(error)).split('\n')[0] ?? '';
}

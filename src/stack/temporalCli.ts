import { spawn } from 'node:child_process';
import { accessSync, closeSync, constants, mkdirSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/config';
import { ConfigError, MissingResourceError } from '../errors';
import type { StackLog } from './types';

/** The Temporal CLI release libreport builds and tests against. */
export const TEMPORAL_CLI_VERSION = '1.5.1';
const GO_PACKAGE = `github.com/temporalio/cli/cmd/temporal@v${TEMPORAL_CLI_VERSION}`;
/** Progress is reported this often while Go builds, so a quiet terminal does not look hung. */
const BUILD_PROGRESS_INTERVAL_MS = 30_000;

/** Where a built CLI lives: `<toolsDir>/temporal-1.5.1/temporal`. */
export function bundledTemporalCliPath(config: Config): string {
  return path.join(config.toolsDir, `temporal-${TEMPORAL_CLI_VERSION}`, 'temporal');
}

/**
 * The Temporal CLI to run: $TEMPORAL_CLI, else `temporal` on PATH, else the one built under the tools dir.
 * Throws `ConfigError` when TEMPORAL_CLI names a missing file, `MissingResourceError` when none is found.
 */
export async function findTemporalCli(config: Config): Promise<string> {
  const found = locateTemporalCli(config);
  if (found) return found;
  throw new MissingResourceError(missingMessage(config, onPath('go') !== undefined));
}

/** Like `findTemporalCli`, but builds the CLI with Go into the tools dir when it is missing and Go is installed. */
export async function ensureTemporalCli(config: Config, log: StackLog): Promise<string> {
  const found = locateTemporalCli(config);
  if (found) return found;
  const go = onPath('go');
  if (!go) throw new MissingResourceError(missingMessage(config, false));
  return buildTemporalCli(config, go, log);
}

function locateTemporalCli(config: Config): string | undefined {
  if (config.temporal.cliPath) {
    if (!isExecutable(config.temporal.cliPath)) {
      throw new ConfigError(`TEMPORAL_CLI=${config.temporal.cliPath} is not an executable file`);
    }
    return config.temporal.cliPath;
  }
  const bundled = bundledTemporalCliPath(config);
  return onPath('temporal') ?? (isExecutable(bundled) ? bundled : undefined);
}

function missingMessage(config: Config, hasGo: boolean): string {
  const target = bundledTemporalCliPath(config);
  return hasGo
    ? `the Temporal CLI is not installed: run "libreport stack up" to build it into ${target}, or set TEMPORAL_CLI`
    : `the Temporal CLI is not installed and Go is not available to build it: install Go (https://go.dev/doc/install) and run ` +
        `"libreport stack up", or install the temporal CLI (https://docs.temporal.io/cli) and put it on PATH or set TEMPORAL_CLI`;
}

async function buildTemporalCli(config: Config, go: string, log: StackLog): Promise<string> {
  const target = bundledTemporalCliPath(config);
  const finalDir = path.dirname(target);
  // Build into a private directory and rename, so a concurrent reader never sees a half-written binary.
  const buildDir = `${finalDir}.building-${process.pid}`;
  const logFile = path.join(config.toolsDir, `temporal-${TEMPORAL_CLI_VERSION}-build.log`);
  mkdirSync(buildDir, { recursive: true });
  log(
    `building the Temporal CLI v${TEMPORAL_CLI_VERSION} with Go (about 3 minutes with a warm module cache, longer cold; log: ${logFile})`,
  );
  const started = Date.now();
  const progress = setInterval(
    () => log(`  still building the Temporal CLI (${Math.round((Date.now() - started) / 1000)} s)…`),
    BUILD_PROGRESS_INTERVAL_MS,
  );
  try {
    const code = await runToLog(go, ['install', GO_PACKAGE], logFile, {
      ...process.env,
      CGO_ENABLED: '0',
      GOBIN: buildDir,
    });
    if (code !== 0) {
      throw new MissingResourceError(`building the Temporal CLI failed (go exited ${code}); see ${logFile}`);
    }
    mkdirSync(finalDir, { recursive: true });
    renameSync(path.join(buildDir, 'temporal'), target);
    log(`built ${target} in ${Math.round((Date.now() - started) / 1000)} s`);
    return target;
  } finally {
    clearInterval(progress);
    rmSync(buildDir, { recursive: true, force: true });
  }
}

function runToLog(command: string, args: string[], logFile: string, env: NodeJS.ProcessEnv): Promise<number> {
  mkdirSync(path.dirname(logFile), { recursive: true });
  const fd = openSync(logFile, 'w');
  return new Promise<number>((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', fd, fd], env });
    child.once('error', reject);
    child.once('exit', (code) => resolve(code ?? 1));
  }).finally(() => closeSync(fd));
}

/** The absolute path of `name` on PATH, if it is there. */
export function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

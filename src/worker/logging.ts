import { DefaultLogger, makeTelemetryFilterString, Runtime, type LogEntry } from '@temporalio/worker';
import type { LogLevel } from '../config/config';

const LEVELS = { debug: 'DEBUG', info: 'INFO', warn: 'WARN', error: 'ERROR' } as const;

/** Meta keys that may carry secrets; their values are never written. */
const SECRET_KEYS = /pass(word)?|secret|token|api_?key|credential|authorization/i;

/**
 * Installs the process-wide Temporal runtime logger once: JSON lines when stderr is not a terminal (for log
 * shippers), a compact line otherwise. Activity and workflow log calls carry the workflow id, run id and
 * activity type as meta, which every line keeps. The Rust core's own logs are forwarded into the same logger:
 * left to itself the core prints them to stdout, where they would corrupt a command's `--json` output.
 */
export function installLogging(level: LogLevel, stream: NodeJS.WriteStream = process.stderr): void {
  if (installed) return;
  installed = true;
  const json = stream.isTTY !== true;
  Runtime.install({
    logger: new DefaultLogger(LEVELS[level], (entry) =>
      stream.write(json ? jsonLine(entry) : textLine(entry)),
    ),
    telemetryOptions: {
      logging: { filter: makeTelemetryFilterString({ core: LEVELS[level] }), forward: {} },
    },
  });
}

let installed = false;

function clean(meta: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(meta ?? {})) {
    out[key] = SECRET_KEYS.test(key) ? '***' : value instanceof Error ? value.message : value;
  }
  return out;
}

function jsonLine(entry: LogEntry): string {
  const time = new Date(Number(entry.timestampNanos / 1_000_000n)).toISOString();
  return `${JSON.stringify({ time, level: entry.level.toLowerCase(), message: entry.message, ...clean(entry.meta) })}\n`;
}

function textLine(entry: LogEntry): string {
  const meta = clean(entry.meta);
  const context = [meta.workflowId, meta.activityType].filter(Boolean).join(' ');
  return `${entry.level.toLowerCase()} ${context ? `[${context}] ` : ''}${entry.message}\n`;
}

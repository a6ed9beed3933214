import type { Client } from '@temporalio/client';
import { Command, InvalidArgumentError } from 'commander';
import {
  auditTableExists,
  countDailyDeliveries,
  countUndatedByReason,
  ledgerTableExists,
  quarantineTableExists,
  selectRunAudits,
} from '../../activities/sql/status';
import type { SqlValue, Warehouse } from '../../adapters/warehouse/port';
import { loadConfig } from '../../config/config';
import { isReportDate, parseReportDate } from '../../domain/reportDate';
import { createWarehouse } from '../../worker/ports';
import { EXIT, runAction } from '../runAction';
import { printJson, withClient } from '../temporalCommand';
import { formatDuration } from '../progressBar';

/** One daily run as `libreport status` shows it: Temporal's view joined with the load audit and the delivery ledger. */
export interface DailyRunStatus {
  readonly date: string;
  readonly workflowId: string;
  readonly runId: string;
  /** Temporal's execution status: RUNNING, COMPLETED, FAILED, CANCELLED, TERMINATED, TIMED_OUT, CONTINUED_AS_NEW. */
  readonly status: string;
  readonly startTime: string;
  readonly closeTime?: string;
  /** This run's `dw.load_audit` row, when it got that far. */
  readonly load?: {
    readonly outcome: string;
    readonly sourceItems?: number;
    readonly queries?: number;
    readonly quarantinedItems?: number;
  };
  /** The day's emails by kind (report, notice, alert) and status (sent, rejected, unknown…); absent when none was recorded. */
  readonly email?: Record<string, Record<string, number>>;
}

/** Items quarantined under no day (no usable `query_date`): in no day's numbers, whatever day is loaded. */
export interface UndatedItems {
  readonly items: number;
  readonly byReason: Record<string, number>;
}

export interface StatusReport {
  readonly runs: DailyRunStatus[];
  /** Absent when there are none (or the warehouse has no quarantine table yet). */
  readonly undated?: UndatedItems;
  /** Why warehouse details are missing, when the warehouse could not be read. */
  readonly warehouseError?: string;
}

const DEFAULT_LIMIT = 10;

export function statusCommand(): Command {
  return new Command('status')
    .description('Show the last daily runs: outcome, row counts, and whether the email went out')
    .option('-d, --date <YYYY-MM-DD>', 'only the runs of this day')
    .option('-n, --limit <n>', `how many runs (default ${DEFAULT_LIMIT})`, limitOption, DEFAULT_LIMIT)
    .option('--json', 'print the runs as JSON')
    .addHelpText(
      'after',
      '\nRuns come from Temporal (newest first); counts from dw.load_audit; email from dw.delivery_ledger.\n' +
        'Exit code 1 when the newest run shown failed.\n' +
        '\nExamples:\n  libreport status\n  libreport status --date 2024-05-16 --json',
    )
    .action(
      runAction(async (options: { date?: string; limit: number; json?: boolean }) => {
        const date = options.date === undefined ? undefined : parseReportDate(options.date, '--date');
        const config = loadConfig();
        return withClient(config, async (client) => {
          // Only the warehouse: status reads the audit and the ledger, never DynamoDB, RDS or SES.
          const warehouse = createWarehouse(config);
          try {
            const report = await collectStatus(client, warehouse, { date, limit: options.limit });
            if (options.json) printJson(report);
            else process.stdout.write(formatStatus(report, date));
            const newest = report.runs[0];
            return newest && isFailure(newest.status) ? EXIT.failed : EXIT.ok;
          } finally {
            await warehouse.close();
          }
        });
      }),
    );
}

/** The newest `limit` daily runs (of `date`, if given), with what the warehouse recorded about each. */
export async function collectStatus(
  client: Client,
  warehouse: Warehouse,
  options: { date?: string; limit: number },
): Promise<StatusReport> {
  const runs = await listDailyRuns(client, options);
  if (runs.length === 0) return { runs };
  try {
    const [loads, emails, undated] = await Promise.all([
      readLoads(warehouse, runs),
      readEmails(warehouse, runs),
      readUndated(warehouse),
    ]);
    return {
      runs: runs.map((run) => ({ ...run, load: loads.get(run.runId), email: emails.get(run.date) })),
      ...(undated ? { undated } : {}),
    };
  } catch (error) {
    return { runs, warehouseError: error instanceof Error ? error.message : String(error) };
  }
}

async function listDailyRuns(
  client: Client,
  options: { date?: string; limit: number },
): Promise<DailyRunStatus[]> {
  // `date` is a parsed YYYY-MM-DD, so it is safe inside the visibility query.
  const query = `WorkflowType = 'dailyReport'${options.date ? ` AND WorkflowId = 'daily-report-${options.date}'` : ''}`;
  const runs: DailyRunStatus[] = [];
  for await (const execution of client.workflow.list({ query, pageSize: Math.min(100, options.limit) })) {
    runs.push({
      date: execution.workflowId.replace(/^daily-report-/, ''),
      workflowId: execution.workflowId,
      runId: execution.runId,
      status: execution.status.name,
      startTime: execution.startTime.toISOString(),
      closeTime: execution.closeTime?.toISOString(),
    });
    if (runs.length >= options.limit) break;
  }
  return runs.sort((a, b) => b.startTime.localeCompare(a.startTime));
}

async function tableExists(warehouse: Warehouse, sql: string): Promise<boolean> {
  return (await warehouse.query(sql)).length > 0;
}

async function readLoads(
  warehouse: Warehouse,
  runs: DailyRunStatus[],
): Promise<Map<string, NonNullable<DailyRunStatus['load']>>> {
  const loads = new Map<string, NonNullable<DailyRunStatus['load']>>();
  if (!(await tableExists(warehouse, auditTableExists))) return loads;
  const ids = runs.map((r) => r.runId);
  const rows = await warehouse.query<{ run_id: string; outcome: string; summary: string }>(
    selectRunAudits(ids.length),
    ids,
  );
  for (const row of rows) {
    const summary = parseSummary(row.summary);
    loads.set(row.run_id, {
      outcome: row.outcome,
      sourceItems: summary?.source?.items,
      queries: summary?.tables?.search_query,
      quarantinedItems: summary?.quarantined?.items,
    });
  }
  return loads;
}

async function readEmails(
  warehouse: Warehouse,
  runs: DailyRunStatus[],
): Promise<Map<string, Record<string, Record<string, number>>>> {
  const emails = new Map<string, Record<string, Record<string, number>>>();
  if (!(await tableExists(warehouse, ledgerTableExists))) return emails;
  const days: SqlValue[] = [...new Set(runs.map((r) => r.date))].filter(isReportDate);
  if (days.length === 0) return emails;
  const rows = await warehouse.query<{ day: string; kind: string; status: string; n: string | number }>(
    countDailyDeliveries(days.length),
    days,
  );
  for (const row of rows) {
    const day = emails.get(row.day) ?? {};
    (day[row.kind] ??= {})[row.status] = Number(row.n);
    emails.set(row.day, day);
  }
  return emails;
}

async function readUndated(warehouse: Warehouse): Promise<UndatedItems | undefined> {
  if (!(await tableExists(warehouse, quarantineTableExists))) return undefined;
  const rows = await warehouse.query<{ reason: string; n: string | number }>(countUndatedByReason);
  if (rows.length === 0) return undefined;
  const byReason = Object.fromEntries(rows.map((r) => [r.reason, Number(r.n)]));
  return { items: Object.values(byReason).reduce((a, b) => a + b, 0), byReason };
}

type AuditSummary = {
  source?: { items?: number };
  tables?: { search_query?: number };
  quarantined?: { items?: number };
};

function parseSummary(text: string): AuditSummary | undefined {
  try {
    return JSON.parse(text) as AuditSummary;
  } catch {
    return undefined;
  }
}

function isFailure(status: string): boolean {
  return ['FAILED', 'TIMED_OUT', 'TERMINATED', 'CANCELLED'].includes(status);
}

/** "report sent to 3", "notice sent to 3", "not sent", with failures named. */
export function describeEmail(email: DailyRunStatus['email']): string {
  if (!email) return 'not sent';
  const parts: string[] = [];
  for (const kind of ['report', 'notice', 'alert']) {
    const statuses = email[kind];
    if (!statuses) continue;
    const others = Object.entries(statuses)
      .filter(([status]) => status !== 'sent')
      .map(([status, n]) => `${n} ${status}`);
    parts.push(`${kind} sent to ${statuses.sent ?? 0}${others.length ? ` (${others.join(', ')})` : ''}`);
  }
  return parts.join('; ') || 'not sent';
}

/** The runs as an aligned table for people. */
export function formatStatus(report: StatusReport, date?: string): string {
  if (report.runs.length === 0) return date ? `no daily runs of ${date} found\n` : 'no daily runs found\n';
  const header = ['DATE', 'STATUS', 'STARTED', 'TOOK', 'LOAD', 'QUERIES', 'QUARANTINED', 'EMAIL'];
  const rows = report.runs.map((run) => [
    run.date,
    run.status,
    run.startTime.replace('T', ' ').slice(0, 19),
    run.closeTime ? formatDuration(Date.parse(run.closeTime) - Date.parse(run.startTime)) : '…',
    run.load?.outcome ?? '-',
    run.load?.queries === undefined ? '-' : String(run.load.queries),
    run.load?.quarantinedItems === undefined ? '-' : String(run.load.quarantinedItems),
    describeEmail(run.email),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ');
  const note = report.warehouseError
    ? `\n(warehouse not readable, counts and email omitted: ${report.warehouseError})\n`
    : report.undated
      ? `\n${describeUndated(report.undated)}\n`
      : '';
  return `${[line(header), ...rows.map(line)].join('\n')}\n${note}`;
}

/** "2 items have no usable query_date (invalid_query_date 1, missing_query_date 1): in dw.quarantine, in no day". */
export function describeUndated(undated: UndatedItems): string {
  const reasons = Object.entries(undated.byReason)
    .map(([reason, n]) => `${reason} ${n}`)
    .join(', ');
  const items = undated.items === 1 ? '1 item has' : `${undated.items} items have`;
  return `${items} no usable query_date (${reasons}): in dw.quarantine, in no day's numbers`;
}

function limitOption(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > 1000)
    throw new InvalidArgumentError('must be a whole number from 1 to 1000');
  return parsed;
}

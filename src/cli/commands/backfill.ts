import { searchAttributesUsable } from '../../temporal/searchAttributes';
import {
  isGrpcDeadlineError,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  type Client,
  type WorkflowHandle,
} from '@temporalio/client';
import { Command, InvalidArgumentError, Option } from 'commander';
import { loadConfig, type Config } from '../../config/config';
import { addDays, dayInZone, daysBetween, parseReportDate } from '../../domain/reportDate';
import { MissingResourceError, ServiceUnavailableError, UserInputError } from '../../errors';
import {
  addRange,
  backfill,
  backfillWorkflowId,
  cancel,
  pause,
  progress,
  resume,
  type BackfillInput,
  type BackfillProgress,
  type DateRange,
  type Reprocess,
} from '../../workflows/backfill';
import { withPollDeadline } from '../poller';
import { createProgressBar, formatBar } from '../progressBar';
import { EXIT, runAction } from '../runAction';
import { printJson, withClient, workflowLink } from '../temporalCommand';

/** How long to wait for a worker to answer the progress query before saying none is running. */
const QUERY_TIMEOUT_MS = 15_000;
/** How often a waiting `libreport backfill` asks for progress. */
const POLL_INTERVAL_MS = 1_000;
const MAX_CONCURRENCY = 32;

interface StartOptions {
  readonly from: string;
  readonly to: string;
  readonly concurrency: number;
  readonly email?: boolean;
  readonly reprocess: Reprocess;
  readonly id?: string;
  readonly detach?: boolean;
  readonly json?: boolean;
}

/** `libreport backfill …`: start a backfill, watch it, add days, pause, resume or cancel it. */
export function backfillCommand(): Command {
  const command = new Command('backfill')
    // Set before the subcommands are added so they inherit it: parse errors reach main's exit code 2.
    .exitOverride()
    .description('Load and report a range of past days, several at a time, as one long-running backfill')
    .addHelpText(
      'after',
      '\n"libreport backfill --from … --to …" is short for "libreport backfill start --from … --to …".\n' +
        '\nExamples:\n' +
        '  libreport backfill --from 2024-01-01 --to 2024-03-31 --concurrency 4\n' +
        '  libreport backfill status 2024-01-01_2024-03-31\n' +
        '  libreport backfill add 2024-01-01_2024-03-31 --from 2024-04-01 --to 2024-04-30\n' +
        '  libreport backfill pause 2024-01-01_2024-03-31',
    );

  command
    // The default subcommand, so `backfill --from --to` works while `add` keeps its own --from/--to.
    .command('start', { isDefault: true })
    .description('Start a backfill of --from..--to and watch it with a progress bar (the default)')
    .requiredOption('--from <YYYY-MM-DD>', 'first day to backfill')
    .requiredOption('--to <YYYY-MM-DD>', 'last day to backfill (at most yesterday in the report time zone)')
    .addOption(new Option('--concurrency <n>', 'days run at once').default(2).argParser(concurrencyOption))
    .option('--email', "email staff each day's report (backfills email nobody by default)")
    .addOption(
      new Option('--reprocess <which>', 'days already in the warehouse to run again')
        .choices(['none', 'failed', 'all'])
        .default('none'),
    )
    .option('--id <id>', 'backfill id (default <from>_<to>)')
    .option('--detach', 'start it and return at once instead of waiting')
    .option('--json', 'print the final progress as JSON on stdout')
    .addHelpText(
      'after',
      '\n--reprocess none skips days with a load audit row; failed re-runs days whose last load failed; all re-runs every day.\n' +
        'Ctrl-C stops watching, not the backfill: it goes on in Temporal (see "backfill cancel").\n' +
        '\nExamples:\n' +
        '  libreport backfill --from 2024-01-01 --to 2024-03-31 --concurrency 4\n' +
        '  libreport backfill --from 2024-05-01 --to 2024-05-07 --reprocess failed --email --detach',
    )
    .action(
      runAction(async (options: StartOptions) => {
        const config = loadConfig();
        const range = parseBackfillRange(
          options.from,
          options.to,
          dayInZone(new Date(), config.report.timeZone),
          config.report.timeZone,
        );
        const backfillId = options.id ?? `${range.from}_${range.to}`;
        if (!/^[A-Za-z0-9_.:-]{1,100}$/.test(backfillId)) {
          throw new UserInputError(`--id "${backfillId}" must be 1-100 letters, digits, or _ . : -`);
        }
        return withClient(config, async (client) => {
          const handle = await startBackfill(client, config, {
            backfillId,
            ranges: [range],
            concurrency: options.concurrency,
            email: options.email ? 'send' : 'skip',
            reprocess: options.reprocess,
          });
          process.stderr.write(
            `backfill ${backfillId}: ${daysBetween(range.from, range.to).length} days, ${options.concurrency} at a time, ` +
              `${options.email ? 'emailing staff' : 'no email'}\n  ${workflowLink(config, handle.workflowId)}\n`,
          );
          if (options.detach) {
            if (options.json)
              printJson({
                backfillId,
                workflowId: handle.workflowId,
                link: workflowLink(config, handle.workflowId),
              });
            process.stderr.write(`watch it with: libreport backfill status ${backfillId}\n`);
            return EXIT.ok;
          }
          const result = await watch(client, handle);
          if (options.json) printJson(result);
          else process.stdout.write(formatProgress(result));
          return result.status === 'completed' && result.failed.length === 0 ? EXIT.ok : EXIT.failed;
        });
      }),
    );

  command
    .command('status <id>')
    .description("Show a backfill's progress: days pending, running, done, skipped and failed (with reasons)")
    .option('--json', 'print the progress as JSON')
    .addHelpText('after', '\nExample:\n  libreport backfill status 2024-01-01_2024-03-31 --json')
    .action(
      runAction(async (id: string, options: { json?: boolean }) => {
        const config = loadConfig();
        return withClient(config, async (client) => {
          const current = await readProgress(client, id);
          if (options.json) printJson(current);
          else process.stdout.write(formatProgress(current));
          return EXIT.ok;
        });
      }),
    );

  command
    .command('add <id>')
    .description('Add days to a running backfill; days it already covers are not added twice')
    .requiredOption('--from <YYYY-MM-DD>', 'first day to add')
    .requiredOption('--to <YYYY-MM-DD>', 'last day to add')
    .addHelpText(
      'after',
      '\nExample:\n  libreport backfill add 2024-01-01_2024-03-31 --from 2024-04-01 --to 2024-04-30',
    )
    .action(
      runAction(async (id: string, options: { from: string; to: string }) => {
        const config = loadConfig();
        const range = parseBackfillRange(
          options.from,
          options.to,
          dayInZone(new Date(), config.report.timeZone),
          config.report.timeZone,
        );
        return withClient(config, async (client) => {
          const handle = await runningBackfill(client, id);
          const before = await queryProgress(client, handle);
          const covered = new Set(coveredDays(before));
          const days = daysBetween(range.from, range.to);
          const fresh = days.filter((day) => !covered.has(day)).length;
          await handle.signal(addRange, range);
          process.stdout.write(
            `backfill ${id}: ${fresh} new days added, ${days.length - fresh} already covered\n`,
          );
          return EXIT.ok;
        });
      }),
    );

  const signals = [
    ['pause', 'Start no new day until resumed (running days finish)', pause, 'paused'],
    ['resume', 'Resume a paused backfill', resume, 'resumed'],
    [
      'cancel',
      'Cancel running days and drop pending ones; the backfill ends "cancelled"',
      cancel,
      'cancelling',
    ],
  ] as const;
  for (const [name, description, signal, done] of signals) {
    command
      .command(`${name} <id>`)
      .description(description)
      .addHelpText('after', `\nExample:\n  libreport backfill ${name} 2024-01-01_2024-03-31`)
      .action(
        runAction(async (id: string) => {
          const config = loadConfig();
          return withClient(config, async (client) => {
            const handle = await runningBackfill(client, id);
            await handle.signal(signal);
            process.stdout.write(`backfill ${id}: ${done}\n`);
            return EXIT.ok;
          });
        }),
      );
  }
  return command;
}

/**
 * Checks a range a user typed: real days, in order, and finished. A day that has not ended in the
 * report zone has no complete data yet, so the latest day accepted is yesterday.
 */
export function parseBackfillRange(
  fromText: string,
  toText: string,
  today: string,
  timeZone: string,
): DateRange {
  const from = parseReportDate(fromText, '--from');
  const to = parseReportDate(toText, '--to');
  if (from > to) throw new UserInputError(`--from ${from} is after --to ${to}; the range must run forward`);
  const latest = addDays(today, -1);
  if (to > latest) {
    throw new UserInputError(
      `--to ${to} has not finished yet in ${timeZone}; the latest day to backfill is ${latest}`,
    );
  }
  return { from, to };
}

/** Starts a backfill workflow; a backfill of the same id that is still running is refused, not joined. */
export async function startBackfill(
  client: Client,
  config: Config,
  input: BackfillInput,
): Promise<WorkflowHandle<typeof backfill>> {
  try {
    return await client.workflow.start(backfill, {
      workflowId: backfillWorkflowId(input.backfillId),
      taskQueue: config.temporal.taskQueue,
      // Every day's run gets this process's stage timeouts, unless the input chose others; and no search
      // attributes when the namespace lacks them.
      args: [
        {
          ...input,
          day: {
            timeouts: config.timeouts,
            ...((await searchAttributesUsable(client, config.temporal.namespace))
              ? {}
              : { searchAttributes: false }),
            ...input.day,
          },
        },
      ],
    });
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) {
      throw new UserInputError(
        `backfill ${input.backfillId} is already running; add days with "libreport backfill add ${input.backfillId} --from … --to …" or choose another --id`,
      );
    }
    throw error;
  }
}

/** The backfill's progress: from the running workflow, or the result of a finished one. */
export async function readProgress(client: Client, backfillId: string): Promise<BackfillProgress> {
  const handle = client.workflow.getHandle<typeof backfill>(backfillWorkflowId(backfillId));
  const status = await describeStatus(handle, backfillId);
  if (status === 'RUNNING') return queryProgress(client, handle);
  if (status === 'COMPLETED') return handle.result();
  throw new MissingResourceError(
    `backfill ${backfillId} ended ${status.toLowerCase()} without a result; see ${handle.workflowId} in the Temporal UI`,
  );
}

async function runningBackfill(client: Client, backfillId: string): Promise<WorkflowHandle<typeof backfill>> {
  const handle = client.workflow.getHandle<typeof backfill>(backfillWorkflowId(backfillId));
  const status = await describeStatus(handle, backfillId);
  if (status !== 'RUNNING') {
    throw new UserInputError(
      `backfill ${backfillId} is no longer running (${status.toLowerCase()}); start a new one with "libreport backfill --from … --to …"`,
    );
  }
  return handle;
}

async function describeStatus(handle: WorkflowHandle, backfillId: string): Promise<string> {
  try {
    return (await handle.describe()).status.name;
  } catch (error) {
    if (error instanceof WorkflowNotFoundError)
      throw new MissingResourceError(`no backfill with id "${backfillId}"`);
    throw error;
  }
}

/**
 * Queries progress; a query nobody answers means no worker is polling. A deadline, not a racing timer: the
 * call itself ends by then, so nothing is left retrying when the command closes its connection.
 */
async function queryProgress(
  client: Client,
  handle: WorkflowHandle<typeof backfill>,
): Promise<BackfillProgress> {
  try {
    return await client.withDeadline(Date.now() + QUERY_TIMEOUT_MS, () => handle.query(progress));
  } catch (error) {
    if (!isGrpcDeadlineError(error)) throw error;
    throw new ServiceUnavailableError(
      'no worker answered the progress query; is "libreport worker" (or "libreport start") running?',
    );
  }
}

/** Redraws a bar until the backfill ends, then returns its result. */
async function watch(client: Client, handle: WorkflowHandle<typeof backfill>): Promise<BackfillProgress> {
  const bar = createProgressBar({ label: 'days', stream: process.stderr });
  let finished = false;
  const result = handle.result().finally(() => {
    finished = true;
  });
  while (!finished) {
    try {
      const current = await withPollDeadline(client, () => handle.query(progress));
      bar.update(settledCount(current), current.total, noteFor(current));
    } catch {
      // A query can fail between continue-as-new runs; the next poll asks the new run.
    }
    await Promise.race([
      result.catch(() => undefined),
      new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS)),
    ]);
  }
  const final = await result;
  bar.update(settledCount(final), final.total, noteFor(final));
  bar.finish();
  return final;
}

function settledCount(p: BackfillProgress): number {
  return p.done.length + p.failed.length + p.skipped.length + p.cancelled.length;
}

function noteFor(p: BackfillProgress): string {
  return [
    p.status,
    p.running.length && `${p.running.length} running`,
    p.failed.length && `${p.failed.length} failed`,
  ]
    .filter(Boolean)
    .join(', ');
}

function coveredDays(p: BackfillProgress): string[] {
  return [
    ...p.pending,
    ...p.running,
    ...p.done,
    ...p.cancelled,
    ...p.failed.map((f) => f.date),
    ...p.skipped.map((s) => s.date),
  ];
}

/** A backfill's progress for people: a bar, the counts, running days, and every failure with its reason. */
export function formatProgress(p: BackfillProgress): string {
  const lines = [
    `backfill ${p.backfillId}: ${p.status}`,
    `days ${formatBar(settledCount(p), p.total, 30)} ${settledCount(p)}/${p.total}`,
    `  done ${p.done.length}, running ${p.running.length}, pending ${p.pending.length}, skipped ${p.skipped.length}, ` +
      `failed ${p.failed.length}, cancelled ${p.cancelled.length}`,
    `  concurrency ${p.concurrency}, email ${p.email}, reprocess ${p.reprocess}`,
  ];
  if (p.running.length) lines.push(`  running: ${p.running.join(', ')}`);
  if (p.pending.length)
    lines.push(`  next: ${p.pending.slice(0, 5).join(', ')}${p.pending.length > 5 ? ', …' : ''}`);
  for (const failure of p.failed) lines.push(`  failed ${failure.date}: ${failure.reason}`);
  return `${lines.join('\n')}\n`;
}

function concurrencyOption(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > MAX_CONCURRENCY) {
    throw new InvalidArgumentError(`must be a whole number from 1 to ${MAX_CONCURRENCY}`);
  }
  return parsed;
}

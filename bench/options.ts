import { Command, InvalidArgumentError } from 'commander';

/** What one `npm run bench` invocation measures. */
export interface BenchOptions {
  /** Items in the main run's day (the 1/10 run uses a tenth). */
  readonly items: number;
  /** Scan segments for both the floor and the pipeline; undefined = what libreport picks for a real table of this size. */
  readonly segments?: number;
  /** Items per Scan page request in the pipeline; undefined = libreport's default. */
  readonly pageLimit?: number;
  /** The worker's WORKER_MAX_CONCURRENT_ACTIVITIES. */
  readonly concurrency: number;
  readonly workers: 1 | 2;
  readonly skipSmall: boolean;
  /** Write a V8 CPU profile of each worker into bench/results/profiles. */
  readonly cpuProf: boolean;
  /** Seed again even when a matching seeded table exists. */
  readonly reseed: boolean;
  /** NODE_OPTIONS for the worker processes (e.g. heap limits), to try settings without changing code. */
  readonly workerNodeOptions?: string;
  /** Build the workflow bundle before starting workers, so they skip webpack (measures its RSS cost). */
  readonly prebundled: boolean;
  /** Floors and pipeline runs per size; the report shows medians. */
  readonly repeat: number;
  /** Leave the stand-ins this run started (the benchmark's dynalite holds GBs of RAM) running afterwards. */
  readonly keepStack: boolean;
  /** Also time `libreport run --date D --no-email --json` (the CLI's own path, in-process worker) each trial. */
  readonly cli: boolean;
  /** Run the day a second time on the same worker each trial: what a long-lived `libreport worker` does. */
  readonly warm: boolean;
  /** Appended to the result file names, to keep the runs of a tuning sweep apart. */
  readonly label?: string;
}

export const DEFAULT_ITEMS = 1_000_000;
export const QUICK_ITEMS = 100_000;
/** The config module's default WORKER_MAX_CONCURRENT_ACTIVITIES. */
export const DEFAULT_CONCURRENCY = 8;

function whole(min: number) {
  return (raw: string): number => {
    const value = Number(raw.replace(/[_,]/g, ''));
    if (!Number.isInteger(value) || value < min)
      throw new InvalidArgumentError(`must be a whole number of at least ${min}`);
    return value;
  };
}

/** Parses `npm run bench -- …` arguments; `--help` prints usage and exits. */
export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  const program = new Command('bench')
    .description(
      "Measures libreport against the machine's floors: a bare parallel DynamoDB scan and a bare PostgreSQL COPY " +
        'of the same exploded rows, then the real dailyReport workflow through Temporal, at two sizes.',
    )
    .option('--items <n>', `items in the benchmark day (default ${DEFAULT_ITEMS})`, whole(10))
    .option('--quick', `same as --items ${QUICK_ITEMS}`)
    .option(
      '--segments <n>',
      "scan segments (default: libreport's choice for a table of that size)",
      whole(1),
    )
    .option('--page-limit <n>', "items per Scan page in the pipeline (default: libreport's)", whole(1))
    .option('--concurrency <n>', `worker activity concurrency (default ${DEFAULT_CONCURRENCY})`, whole(1))
    .option('--workers <n>', 'worker processes on the task queue: 1 or 2 (default 1)', (raw) => {
      if (raw !== '1' && raw !== '2') throw new InvalidArgumentError('must be 1 or 2');
      return Number(raw) as 1 | 2;
    })
    .option('--skip-small', 'skip the run at 1/10 of the size')
    .option('--cpu-prof', 'write a CPU profile of each worker to bench/results/profiles')
    .option('--worker-node-options <flags>', 'NODE_OPTIONS for the workers, e.g. "--max-old-space-size=160"')
    .option(
      '--prebundled',
      'start workers with a workflow bundle built beforehand (no webpack in the worker)',
    )
    .option('--repeat <n>', 'measure each size n times and report medians (default 1)', whole(1))
    .option('--label <name>', 'suffix for the result file names (letters, digits, - and _)', (raw) => {
      if (!/^[A-Za-z0-9_-]{1,40}$/.test(raw))
        throw new InvalidArgumentError('use letters, digits, - and _ only');
      return raw;
    })
    .option('--cli', 'also time `libreport run --date D --no-email --json` (in-process worker) each trial')
    .option(
      '--warm',
      'run the day a second time on the same, now warm, worker each trial (a long-lived worker)',
    )
    .option('--keep-stack', 'leave the stand-ins this run started running (default: stop them at the end)')
    .option('--reseed', 'seed the benchmark table again even when it already holds the day')
    .parse(argv as string[], { from: 'user' });
  const o = program.opts<{
    items?: number;
    quick?: boolean;
    segments?: number;
    pageLimit?: number;
    concurrency?: number;
    workers?: 1 | 2;
    skipSmall?: boolean;
    cpuProf?: boolean;
    reseed?: boolean;
    workerNodeOptions?: string;
    prebundled?: boolean;
    repeat?: number;
    label?: string;
    keepStack?: boolean;
    cli?: boolean;
    warm?: boolean;
  }>();
  return {
    items: o.items ?? (o.quick ? QUICK_ITEMS : DEFAULT_ITEMS),
    segments: o.segments,
    pageLimit: o.pageLimit,
    concurrency: o.concurrency ?? DEFAULT_CONCURRENCY,
    workers: o.workers ?? 1,
    skipSmall: o.skipSmall === true,
    cpuProf: o.cpuProf === true,
    reseed: o.reseed === true,
    workerNodeOptions: o.workerNodeOptions,
    prebundled: o.prebundled === true,
    repeat: o.repeat ?? 1,
    label: o.label,
    keepStack: o.keepStack === true,
    cli: o.cli === true,
    warm: o.warm === true,
  };
}

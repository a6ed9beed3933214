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
  /**
   * Set: the growth case instead of the floors: the same day read from a table holding only it and from one
   * holding `days` such days, through the day index and the scan (`--items` is then the day's items).
   */
  readonly growth?: { readonly itemsPerDay: number; readonly days: number };
  /**
   * `redshift-data`: after each PostgreSQL run, the same day runs again on the local Redshift Data API endpoint
   * (S3 staging through s3rver), and both warehouses' wall time, statements and COPY calls are reported.
   */
  readonly warehouse: 'pg' | 'redshift-data';
}

export const DEFAULT_ITEMS = 1_000_000;
export const QUICK_ITEMS = 100_000;
/** The growth case's day (items) and the large table's days, as the issue sets them. */
export const GROWTH_ITEMS = 50_000;
export const GROWTH_DAYS = 30;
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
    .option(
      '--warehouse <kind>',
      'pg (default), or redshift-data to also run each day on the local Redshift Data API endpoint',
      (raw) => {
        if (raw !== 'pg' && raw !== 'redshift-data')
          throw new InvalidArgumentError('must be pg or redshift-data');
        return raw;
      },
    )
    .option('--cli', 'also time `libreport run --date D --no-email --json` (in-process worker) each trial')
    .option(
      '--warm',
      'run the day a second time on the same, now warm, worker each trial (a long-lived worker)',
    )
    .option('--keep-stack', 'leave the stand-ins this run started running (default: stop them at the end)')
    .option('--reseed', 'seed the benchmark table again even when it already holds the day')
    .option(
      '--growth',
      `growth case: one day (--items, default ${GROWTH_ITEMS}) read from a table of that day alone and from one of ` +
        `--growth-days such days, by the day index and by the scan`,
    )
    .option('--growth-days <n>', `days in the growth case's large table (default ${GROWTH_DAYS})`, whole(2))
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
    growth?: boolean;
    growthDays?: number;
    warehouse?: 'pg' | 'redshift-data';
    cli?: boolean;
    warm?: boolean;
  }>();
  if (o.growthDays !== undefined && !o.growth) program.error('--growth-days needs --growth');
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
    ...(o.growth
      ? {
          growth: {
            itemsPerDay: o.items ?? (o.quick ? GROWTH_ITEMS / 10 : GROWTH_ITEMS),
            days: o.growthDays ?? GROWTH_DAYS,
          },
        }
      : {}),
    warehouse: o.warehouse ?? 'pg',
    cli: o.cli === true,
    warm: o.warm === true,
  };
}

import type { StatementCounts } from '../src/adapters/warehouse/statementCounts';
import type { ProcessGroup } from './cpuTime';
import type { ExtractFloor } from './extractFloor';
import type { StageName, StageTimings, TraceEntry } from './history';
import type { LoadFloor } from './loadFloor';
import type { BenchOptions } from './options';
import type { ScanExplode } from './scanExplode';
import type { SeedOutcome } from './seedDay';
import type { CliRunFigures } from './cliRun';
import type { StraightforwardFigures } from './straightforwardRun';

/** A libreport run through Temporal as the bench reads it. Times in ms. */
export interface LibreportRun {
  readonly workflowId: string;
  readonly stages: StageTimings;
  /** `load.durationMs` of the run's result: workflow start to the day loaded (prepare, plan, extract, load). */
  readonly extractLoadMs: number;
  readonly cpuSeconds: Record<ProcessGroup, number>;
}

/**
 * libreport against what a user would write instead, and how busy the run kept the machine's two cores;
 * all measured in the same trial, so the machine's other load affects both sides alike.
 */
export interface Comparison {
  /** libreport's extract+load (`load.durationMs`) over the straightforward pipeline's wall time. */
  readonly extractLoadVsStraightforward: number;
  /** libreport's end to end (extract, load, mart, render) over the straightforward pipeline's wall time. */
  readonly endToEndVsStraightforward: number;
  /** End-to-end wall / ((worker + dynalite + whole PostgreSQL server CPU-s) / 2 cores): 1.0 = both cores busy. */
  readonly utilisation: number;
  /** The same with only the benchmark databases' backends as PostgreSQL's share (other work on the server left out). */
  readonly utilisationBenchBackends: number;
  /** The long-lived worker's second run: its extract+load over the straightforward pipeline's wall time. */
  readonly warmExtractLoadVsStraightforward?: number;
  /** `libreport run`'s extract+load over the straightforward pipeline's wall time. */
  readonly cliExtractLoadVsStraightforward?: number;
}

/** One worker's share of a run. */
export interface WorkerFigures {
  readonly pid: number;
  readonly identity: string;
  readonly segments: readonly string[];
  readonly readyRssBytes: number;
  readonly runPeakRssBytes: number;
  readonly highWaterRssBytes: number;
  /** The report renderer's child processes: their highest sampled RSS, and the worker's plus theirs. */
  readonly rendererPeakRssBytes: number;
  readonly withRendererPeakRssBytes: number;
  /** Highest sampled RSS within each stage's window. */
  readonly peakRssByStage: Partial<Record<StageName, number>>;
}

/** One dailyReport run of the day on the redshift-data warehouse (the local endpoint over PostgreSQL and s3rver). */
export interface RedshiftRun {
  readonly workflowId: string;
  readonly stages: StageTimings;
  readonly wallMs: number;
  readonly outcome: string;
  readonly warehouse: StatementCounts;
}

/** One measurement at one size: both floors and one pipeline run, taken back to back. Times in ms. */
export interface Trial {
  readonly extractFloor: ExtractFloor;
  readonly loadFloor: LoadFloor;
  /** Diagnostic: the scan with explode and CSV encoding but no database (see scanExplode.ts). */
  readonly scanExplode: ScanExplode;
  readonly pipeline: {
    readonly workflowId: string;
    readonly stages: StageTimings;
    readonly wallMs: number;
    readonly itemsSeen: number;
    readonly rowsLoaded: number;
    readonly segmentMs: readonly number[];
    readonly outcome: string;
    /** Statements and COPY calls the day's load sent the warehouse (from the run summary). */
    readonly warehouse?: StatementCounts;
    /** Every activity of the run: when scheduled, how long it waited for a worker, how long it ran. */
    readonly trace?: readonly TraceEntry[];
  };
  /** With `--warehouse redshift-data`: the same day on the local Redshift Data API endpoint. */
  readonly redshift?: RedshiftRun;
  readonly workers: readonly WorkerFigures[];
  /** `load.durationMs` of the fresh worker's run (its other figures are in `pipeline`). */
  readonly extractLoadMs: number;
  /** The pipeline a user would write instead (straightforwardPipeline.ts), run on the same day. */
  readonly straightforward: StraightforwardFigures & { readonly cpuSeconds: Record<ProcessGroup, number> };
  /** A second run on the same worker process, after the first: what a long-lived `libreport worker` does. */
  readonly warm?: LibreportRun;
  /** `libreport run --no-email --json` (with `--cli`). */
  readonly cli?: CliRunFigures & { readonly cpuSeconds: Record<ProcessGroup, number> };
  readonly comparison: Comparison;
  /** CPU seconds each process group used during each timed phase (2 cores: at most 2 s per second). */
  readonly cpuSeconds: {
    readonly extractFloor: Record<ProcessGroup, number>;
    readonly scanExplode: Record<ProcessGroup, number>;
    readonly loadFloor: Record<ProcessGroup, number>;
    readonly pipeline: Record<ProcessGroup, number>;
  };
  readonly ratios: {
    /** libreport items/s over the bare scan's (target ≥ 0.9). */
    readonly extract: number;
    /** libreport load rows/s over the bare COPY's (target ≥ 0.8). */
    readonly load: number;
    /** libreport end-to-end over max(bare scan, bare COPY) (target ≤ 1.25). */
    readonly endToEnd: number;
  };
  /** Highest RSS of any worker (VmHWM, startup included). */
  readonly peakRssBytes: number;
}

/**
 * Everything measured at one size. The top-level trial fields are the medians of `trials` (floors and stages
 * each by their own median; workers and CPU from the trial with the median end-to-end time), except
 * `peakRssBytes`, which is the highest of any trial.
 */
export interface SizeResult extends Trial {
  readonly items: number;
  readonly segments: number;
  readonly seed: SeedOutcome;
  readonly rows: { readonly byTable: Record<string, number>; readonly total: number };
  readonly trials: readonly Trial[];
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function medianOrUndefined(values: readonly (number | undefined)[]): number | undefined {
  const present = values.filter((v): v is number => v !== undefined);
  return present.length ? median(present) : undefined;
}

/** Combines trials into the figures the report shows (see `SizeResult`). */
export function medianTrial(trials: readonly Trial[], rows: number): Trial {
  const byEndToEnd = [...trials].sort((a, b) => a.pipeline.stages.endToEnd - b.pipeline.stages.endToEnd);
  const typical = byEndToEnd[Math.floor((byEndToEnd.length - 1) / 2)]!;
  const first = trials[0]!;
  const extractMs = median(trials.map((t) => t.extractFloor.ms));
  const loadMs = median(trials.map((t) => t.loadFloor.ms));
  const scanExplode = { ...first.scanExplode, ms: median(trials.map((t) => t.scanExplode.ms)) };
  const extractFloor = {
    ...first.extractFloor,
    ms: extractMs,
    itemsPerSecond: (first.extractFloor.items * 1000) / extractMs,
  };
  const loadFloor = { ...first.loadFloor, ms: loadMs, rowsPerSecond: (first.loadFloor.rows * 1000) / loadMs };
  const comparisonNames = Object.keys(first.comparison) as (keyof Comparison)[];
  const comparison = Object.fromEntries(
    comparisonNames.map((name) => [name, medianOrUndefined(trials.map((t) => t.comparison[name]))]),
  ) as unknown as Comparison;
  const stageNames = Object.keys(first.pipeline.stages) as (keyof StageTimings)[];
  const stages = Object.fromEntries(
    stageNames.map((name) => [name, medianOrUndefined(trials.map((t) => t.pipeline.stages[name]))]),
  ) as unknown as StageTimings;
  return {
    ...typical,
    extractFloor,
    loadFloor,
    scanExplode,
    pipeline: { ...typical.pipeline, stages },
    extractLoadMs: median(trials.map((t) => t.extractLoadMs)),
    straightforward: {
      ...typical.straightforward,
      wallMs: median(trials.map((t) => t.straightforward.wallMs)),
      scanMs: median(trials.map((t) => t.straightforward.scanMs)),
      processMs: median(trials.map((t) => t.straightforward.processMs)),
      maxRssBytes: Math.max(...trials.map((t) => t.straightforward.maxRssBytes)),
    },
    comparison,
    ratios: sizeRatios(extractFloor, loadFloor, stages, rows),
    peakRssBytes: Math.max(...trials.map((t) => t.peakRssBytes)),
  };
}

export interface BenchResult {
  readonly date: string;
  readonly startedAt: string;
  readonly command: string;
  readonly machine: {
    readonly cpus: number;
    readonly node: string;
    readonly loadAverageBefore: readonly number[];
    readonly loadAverageAfter: readonly number[];
  };
  readonly options: BenchOptions & { readonly segmentsUsed: number };
  /** Smallest size first. */
  readonly sizes: readonly SizeResult[];
  readonly targets: readonly TargetCheck[];
}

export interface TargetCheck {
  readonly name: string;
  readonly target: string;
  readonly value: string;
  readonly met: boolean;
}

export const TARGETS = {
  extract: 0.9,
  load: 0.8,
  endToEnd: 1.25,
  rssBytes: 256 * 1024 * 1024,
  rssGrowth: 1.2,
  /** Issue 19: extract+load over the straightforward pipeline's, below 1M items and at 1M or more. */
  vsStraightforwardSmall: 0.5,
  vsStraightforwardLarge: 0.35,
  utilisation: 1.2,
  workerCpuPerMillion: 6,
  endToEndOverScan: 1.4,
} as const;

/** The comparison figures of one trial (see `Comparison`). */
export function compare(
  fresh: { stages: StageTimings; extractLoadMs: number; cpuSeconds: Record<ProcessGroup, number> },
  straightforward: StraightforwardFigures,
  warm: LibreportRun | undefined,
  cli: CliRunFigures | undefined,
): Comparison {
  const cpu = fresh.cpuSeconds;
  const wall = fresh.stages.endToEnd / 1000;
  return {
    extractLoadVsStraightforward: fresh.extractLoadMs / straightforward.wallMs,
    endToEndVsStraightforward: fresh.stages.endToEnd / straightforward.wallMs,
    utilisation: wall / ((cpu.worker + cpu.dynalite + cpu.postgres) / 2),
    utilisationBenchBackends: wall / ((cpu.worker + cpu.dynalite + cpu.pgBench) / 2),
    warmExtractLoadVsStraightforward: warm ? warm.extractLoadMs / straightforward.wallMs : undefined,
    cliExtractLoadVsStraightforward: cli ? cli.extractLoadMs / straightforward.wallMs : undefined,
  };
}

export function sizeRatios(
  extractFloor: ExtractFloor,
  loadFloor: LoadFloor,
  stages: StageTimings,
  rows: number,
): SizeResult['ratios'] {
  const extractMs = stages['extract+explode'];
  const loadMs = stages.load;
  return {
    extract: extractMs ? (extractFloor.items * 1000) / extractMs / extractFloor.itemsPerSecond : NaN,
    load: loadMs ? (rows * 1000) / loadMs / loadFloor.rowsPerSecond : NaN,
    endToEnd: stages.endToEnd / Math.max(extractFloor.ms, loadFloor.ms),
  };
}

/** Checks the targets on the largest size (and its growth from the smallest). */
export function checkTargets(sizes: readonly SizeResult[]): TargetCheck[] {
  const main = sizes[sizes.length - 1]!;
  const small = sizes.length > 1 ? sizes[0] : undefined;
  const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
  const checks: TargetCheck[] = [
    {
      name: 'extract / floor',
      target: `≥ ${TARGETS.extract}`,
      value: main.ratios.extract.toFixed(2),
      met: main.ratios.extract >= TARGETS.extract,
    },
    {
      name: 'load / floor',
      target: `≥ ${TARGETS.load}`,
      value: main.ratios.load.toFixed(2),
      met: main.ratios.load >= TARGETS.load,
    },
    {
      name: 'end-to-end / max(floors)',
      target: `≤ ${TARGETS.endToEnd}`,
      value: main.ratios.endToEnd.toFixed(2),
      met: main.ratios.endToEnd <= TARGETS.endToEnd,
    },
    {
      name: `worker peak RSS at ${main.items.toLocaleString('en-US')} items`,
      target: `≤ ${mb(TARGETS.rssBytes)}`,
      value: mb(main.peakRssBytes),
      met: main.peakRssBytes <= TARGETS.rssBytes,
    },
  ];
  const vsTarget = main.items >= 1_000_000 ? TARGETS.vsStraightforwardLarge : TARGETS.vsStraightforwardSmall;
  const perMillion = (main.cpuSeconds.pipeline.worker * 1_000_000) / main.items;
  const overScan = main.pipeline.stages.endToEnd / main.extractFloor.ms;
  checks.push(
    {
      name: 'extract+load / straightforward pipeline',
      target: `≤ ${vsTarget}`,
      value: main.comparison.extractLoadVsStraightforward.toFixed(2),
      met: main.comparison.extractLoadVsStraightforward <= vsTarget,
    },
    {
      name: 'utilisation: end-to-end / (ΣCPU-s / 2 cores)',
      target: `≤ ${TARGETS.utilisation}`,
      value: main.comparison.utilisation.toFixed(2),
      met: main.comparison.utilisation <= TARGETS.utilisation,
    },
    {
      name: 'worker CPU-s per 1M items',
      target: `≤ ${TARGETS.workerCpuPerMillion}`,
      value: perMillion.toFixed(1),
      met: perMillion <= TARGETS.workerCpuPerMillion,
    },
    {
      name: 'end-to-end / bare scan floor',
      target: `≤ ${TARGETS.endToEndOverScan}`,
      value: overScan.toFixed(2),
      met: overScan <= TARGETS.endToEndOverScan,
    },
  );
  if (small) {
    const growth = main.peakRssBytes / small.peakRssBytes;
    checks.push({
      name: `RSS growth ${small.items.toLocaleString('en-US')} → ${main.items.toLocaleString('en-US')} items`,
      target: `≤ ${TARGETS.rssGrowth}×`,
      value: `${growth.toFixed(2)}×`,
      met: growth <= TARGETS.rssGrowth,
    });
  }
  return checks;
}

export const STAGE_ORDER: readonly StageName[] = ['extract+explode', 'load', 'mart', 'render', 'send'];

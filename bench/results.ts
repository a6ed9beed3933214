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

export const STAGE_ORDER: readonly StageName[] = ['extract+explode', 'load', 'mart', 'render', 'send'];

import type { ExtractFloor } from './extractFloor';
import type { StageName, StageTimings } from './history';
import type { LoadFloor } from './loadFloor';
import type { BenchOptions } from './options';
import type { SeedOutcome } from './seedDay';

/** One worker's share of a run. */
export interface WorkerFigures {
  readonly pid: number;
  readonly identity: string;
  readonly segments: readonly string[];
  readonly readyRssBytes: number;
  readonly runPeakRssBytes: number;
  readonly highWaterRssBytes: number;
}

/** Everything measured at one size. Times in milliseconds. */
export interface SizeResult {
  readonly items: number;
  readonly segments: number;
  readonly seed: SeedOutcome;
  readonly extractFloor: ExtractFloor;
  readonly loadFloor: LoadFloor;
  readonly rows: { readonly byTable: Record<string, number>; readonly total: number };
  readonly pipeline: {
    readonly workflowId: string;
    readonly stages: StageTimings;
    readonly wallMs: number;
    readonly itemsSeen: number;
    readonly rowsLoaded: number;
    readonly segmentMs: readonly number[];
    readonly outcome: string;
  };
  readonly workers: readonly WorkerFigures[];
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

export interface BenchResult {
  readonly date: string;
  readonly startedAt: string;
  readonly command: string;
  readonly machine: { readonly cpus: number; readonly node: string; readonly loadAverageBefore: readonly number[]; readonly loadAverageAfter: readonly number[] };
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

export const TARGETS = { extract: 0.9, load: 0.8, endToEnd: 1.25, rssBytes: 256 * 1024 * 1024, rssGrowth: 1.2 } as const;

export function sizeRatios(extractFloor: ExtractFloor, loadFloor: LoadFloor, stages: StageTimings, rows: number): SizeResult['ratios'] {
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
    { name: 'extract / floor', target: `≥ ${TARGETS.extract}`, value: main.ratios.extract.toFixed(2), met: main.ratios.extract >= TARGETS.extract },
    { name: 'load / floor', target: `≥ ${TARGETS.load}`, value: main.ratios.load.toFixed(2), met: main.ratios.load >= TARGETS.load },
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

import type { ProcessGroup } from './cpuTime';
import type { ExtractFloor } from './extractFloor';
import type { StageTimings } from './history';
import type { LoadFloor } from './loadFloor';
import type { CliRunFigures } from './cliRun';
import type { StraightforwardFigures } from './straightforwardRun';
import type { Comparison, LibreportRun, SizeResult, Trial } from './results';

// Figures derived from measured trials: the comparisons of one trial, and the median of a size's trials.

/** The comparison figures of one trial (see `Comparison`). */
export function compare(
  fresh: { stages: StageTimings; extractLoadMs: number; cpuSeconds: Record<ProcessGroup, number> },
  straightforward: StraightforwardFigures,
  warm: LibreportRun | undefined,
  cli: CliRunFigures | undefined,
): Comparison {
  const cpu = fresh.cpuSeconds;
  const wall = fresh.stages.endToEnd / 1000;
  // Every CPU-second the run made the machine spend, the report renderer's included.
  const worker = cpu.worker + (cpu.renderer ?? 0);
  return {
    extractLoadVsStraightforward: fresh.extractLoadMs / straightforward.wallMs,
    endToEndVsStraightforward: fresh.stages.endToEnd / straightforward.wallMs,
    utilisation: wall / ((worker + cpu.dynalite + cpu.postgres) / 2),
    utilisationBenchBackends: wall / ((worker + cpu.dynalite + cpu.pgBench) / 2),
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

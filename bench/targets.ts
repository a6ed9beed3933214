import type { SizeResult, TargetCheck } from './results';

// The performance targets, and how a run's largest size measures against them.

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
      // The worker process itself: its report renderer's CPU is per report, not per item (reported beside it),
      // as its peak RSS is kept apart from the worker's.
      name: 'worker CPU-s per 1M items (report renderer apart)',
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

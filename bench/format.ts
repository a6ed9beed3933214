import type { ProcessGroup } from './cpuTime';
import { STAGE_ORDER, type BenchResult, type SizeResult } from './results';

const n = (x: number) => Math.round(x).toLocaleString('en-US');
const s = (ms: number | undefined) => (ms === undefined ? 'n/a' : `${(ms / 1000).toFixed(1)} s`);
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const cpu = (used: Record<ProcessGroup, number>, groups: readonly ProcessGroup[]) =>
  groups.map((g) => (used[g] === undefined ? 'n/a' : used[g].toFixed(1))).join(' / ');
const ratio = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : 'n/a');

/** The rows of the side-by-side table: a label and one cell per size. */
function tableRows(sizes: readonly SizeResult[]): [string, ...string[]][] {
  const row = (label: string, cell: (r: SizeResult) => string): [string, ...string[]] => [
    label,
    ...sizes.map(cell),
  ];
  return [
    row('items in the day', (r) => n(r.extractFloor.items)),
    row('exploded rows', (r) => n(r.rows.total)),
    row('segments', (r) => String(r.segments)),
    row('floor: bare scan', (r) => `${s(r.extractFloor.ms)} (${n(r.extractFloor.itemsPerSecond)} items/s)`),
    row('floor: bare COPY', (r) => `${s(r.loadFloor.ms)} (${n(r.loadFloor.rowsPerSecond)} rows/s)`),
    row(
      'diagnostic: scan + explode + CSV, no DB',
      (r) => `${s(r.scanExplode.ms)} (${n((r.scanExplode.items * 1000) / r.scanExplode.ms)} items/s)`,
    ),
    ...STAGE_ORDER.map((stage) => row(`libreport: ${stage}`, (r) => s(r.pipeline.stages[stage]))),
    row('libreport: other (bookkeeping, dispatch)', (r) => s(r.pipeline.stages.other)),
    row('libreport: end to end', (r) => s(r.pipeline.stages.endToEnd)),
    row('libreport: statements / COPY calls (pg)', (r) =>
      r.pipeline.warehouse
        ? `${n(r.pipeline.warehouse.statements)} / ${n(r.pipeline.warehouse.copies)}`
        : 'n/a',
    ),
    ...(sizes.some((r) => r.redshift)
      ? [
          row('redshift-data: extract+explode', (r) => s(r.redshift?.stages['extract+explode'])),
          row('redshift-data: load', (r) => s(r.redshift?.stages.load)),
          row('redshift-data: end to end', (r) => s(r.redshift?.stages.endToEnd)),
          row('redshift-data: wall time (client)', (r) => s(r.redshift?.wallMs)),
          row('redshift-data: statements / COPY calls', (r) =>
            r.redshift ? `${n(r.redshift.warehouse.statements)} / ${n(r.redshift.warehouse.copies)}` : 'n/a',
          ),
        ]
      : []),
    row('libreport: extract items/s', (r) =>
      r.pipeline.stages['extract+explode']
        ? n((r.extractFloor.items * 1000) / r.pipeline.stages['extract+explode'])
        : 'n/a',
    ),
    row('libreport: load rows/s', (r) =>
      r.pipeline.stages.load ? n((r.rows.total * 1000) / r.pipeline.stages.load) : 'n/a',
    ),
    row('extract / floor (≥ 0.9)', (r) => ratio(r.ratios.extract)),
    row('load / floor (≥ 0.8)', (r) => ratio(r.ratios.load)),
    row('end-to-end / max(floors) (≤ 1.25)', (r) => ratio(r.ratios.endToEnd)),
    row('worker RSS when ready', (r) => r.workers.map((w) => mb(w.readyRssBytes)).join(' + ')),
    row('worker peak RSS during the run', (r) => r.workers.map((w) => mb(w.runPeakRssBytes)).join(' + ')),
    ...STAGE_ORDER.map((stage) =>
      row(`  peak RSS in ${stage}`, (r) =>
        r.workers.map((w) => (w.peakRssByStage[stage] ? mb(w.peakRssByStage[stage]) : 'n/a')).join(' + '),
      ),
    ),
    row('worker peak RSS (VmHWM, with startup)', (r) =>
      r.workers.map((w) => mb(w.highWaterRssBytes)).join(' + '),
    ),
    row('report renderer (child process) peak RSS', (r) =>
      r.workers.map((w) => mb(w.rendererPeakRssBytes)).join(' + '),
    ),
    row('worker + renderer peak RSS (sum)', (r) =>
      r.workers.map((w) => mb(w.withRendererPeakRssBytes)).join(' + '),
    ),
    row('CPU s in bare scan (dynalite/bench)', (r) => cpu(r.cpuSeconds.extractFloor, ['dynalite', 'bench'])),
    row('CPU s in scan+explode (dynalite/bench)', (r) =>
      cpu(r.cpuSeconds.scanExplode, ['dynalite', 'bench']),
    ),
    row('CPU s in bare COPY (postgres/bench)', (r) => cpu(r.cpuSeconds.loadFloor, ['postgres', 'bench'])),
    row('CPU s in run (worker/report renderer/dynalite/pg server/pg bench DBs/temporal)', (r) =>
      cpu(r.cpuSeconds.pipeline, ['worker', 'renderer', 'dynalite', 'postgres', 'pgBench', 'temporal']),
    ),
    row(
      '  machine busy CPU-s, every process (of 2 × end-to-end)',
      (r) =>
        `${r.cpuSeconds.pipeline.machine.toFixed(1)} (of ${((2 * r.pipeline.stages.endToEnd) / 1000).toFixed(1)})`,
    ),
    row('utilisation: end-to-end / (ΣCPU-s / 2) (≤ 1.2)', (r) => ratio(r.comparison.utilisation)),
    row('  same, pg = bench DB backends only', (r) => ratio(r.comparison.utilisationBenchBackends)),
    row('straightforward: extract+load', (r) => s(r.straightforward.wallMs)),
    row('  of which the scan into arrays', (r) => s(r.straightforward.scanMs)),
    row('  its process, start-up included', (r) => s(r.straightforward.processMs)),
    row('  its peak RSS', (r) => mb(r.straightforward.maxRssBytes)),
    row('  CPU s (itself/dynalite/pg server/pg bench DBs)', (r) =>
      cpu(r.straightforward.cpuSeconds, ['worker', 'dynalite', 'postgres', 'pgBench']),
    ),
    row('libreport: extract+load (load.durationMs)', (r) => s(r.extractLoadMs)),
    row('libreport extract+load / straightforward', (r) => ratio(r.comparison.extractLoadVsStraightforward)),
    row('libreport end-to-end / straightforward', (r) => ratio(r.comparison.endToEndVsStraightforward)),
    row('long-lived worker, 2nd run: extract+load', (r) => s(r.warm?.extractLoadMs)),
    row('  end to end', (r) => s(r.warm?.stages.endToEnd)),
    row('  extract+load / straightforward', (r) =>
      ratio(r.comparison.warmExtractLoadVsStraightforward ?? NaN),
    ),
    row('  CPU s (worker/report renderer/dynalite/pg server/pg bench DBs)', (r) =>
      r.warm ? cpu(r.warm.cpuSeconds, ['worker', 'renderer', 'dynalite', 'postgres', 'pgBench']) : 'n/a',
    ),
    row('libreport run --no-email --json: process', (r) => s(r.cli?.processMs)),
    row('  worker start (workflow start → 1st activity)', (r) => s(r.cli?.workerStartMs)),
    row('  extract+load (load.durationMs)', (r) => s(r.cli?.extractLoadMs)),
    row('  end to end (workflow)', (r) => s(r.cli?.stages.endToEnd)),
    row('  extract+load / straightforward', (r) =>
      ratio(r.comparison.cliExtractLoadVsStraightforward ?? NaN),
    ),
    row('  peak RSS (VmHWM)', (r) => (r.cli ? mb(r.cli.peakRssBytes) : 'n/a')),
    row('  CPU s (libreport with its renderer/dynalite/pg server/pg bench DBs)', (r) =>
      r.cli ? cpu(r.cli.cpuSeconds, ['worker', 'dynalite', 'postgres', 'pgBench']) : 'n/a',
    ),
    row('segments per worker', (r) => r.workers.map((w) => String(w.segments.length)).join(' / ')),
  ];
}

function header(sizes: readonly SizeResult[]): [string, ...string[]] {
  return ['', ...sizes.map((r) => `${n(r.items)} items`)];
}

/** The terminal table. */
export function formatTable(result: BenchResult): string {
  const rows = [header(result.sizes), ...tableRows(result.sizes)];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const checks = result.targets.map(
    (t) => `${t.met ? 'met   ' : 'MISSED'}  ${t.name}: ${t.value} (target ${t.target})`,
  );
  return [line(rows[0]!), ...rows.slice(1).map(line), '', ...checks].join('\n');
}

/** The Markdown summary committed beside the JSON. */
export function formatMarkdown(result: BenchResult): string {
  const rows = [header(result.sizes), ...tableRows(result.sizes)];
  const md = (cells: string[]) => `| ${cells.join(' | ')} |`;
  const o = result.options;
  const lines = [
    `# libreport benchmark ${result.date}: ${n(o.items)} items`,
    '',
    `Command: \`${result.command}\``,
    '',
    `Machine: ${result.machine.cpus} CPUs, Node ${result.machine.node}; load average before ${result.machine.loadAverageBefore.map((x) => x.toFixed(2)).join(' ')}, ` +
      `after ${result.machine.loadAverageAfter.map((x) => x.toFixed(2)).join(' ')} (other work on the machine adds noise).`,
    `Settings: ${o.segmentsUsed} segments, ${o.pageLimit ? `${n(o.pageLimit)} items per Scan page` : '1 MB Scan pages'}, worker activity concurrency ${o.concurrency}, ${o.workers} worker process(es)` +
      `${o.prebundled ? ', workflow bundle built before the workers start' : ''}` +
      `${o.workerNodeOptions ? `, worker NODE_OPTIONS "${o.workerNodeOptions}"` : ''}; ` +
      `${o.repeat} trial(s) per size${o.repeat > 1 ? ' (medians shown; peak RSS is the highest of any trial)' : ''}.`,
    '',
    md(rows[0]!),
    md(rows[0]!.map((_, i) => (i === 0 ? '---' : '---:'))),
    ...rows.slice(1).map(md),
    '',
    '## Targets',
    '',
    ...result.targets.map((t) => `- ${t.met ? '✅' : '❌'} ${t.name}: **${t.value}** (target ${t.target})`),
    '',
    '## How segments split between workers',
    '',
    ...result.sizes.flatMap((r) => [
      `- ${n(r.items)} items: ${r.workers.map((w) => `${w.identity} ran ${w.segments.length} (${w.segments.join(', ') || 'none'})`).join('; ')}`,
    ]),
    '',
    "## Trace of the largest size's run (the median trial), ms from the workflow's start",
    '',
    '| activity | scheduled at | waited | ran |',
    '| --- | ---: | ---: | ---: |',
    ...(result.sizes[result.sizes.length - 1]!.pipeline.trace ?? []).map(
      (t) =>
        `| ${t.activityId === t.type ? t.type : `${t.type} (${t.activityId})`} | ${n(t.scheduledAt)} | ${t.waitMs === undefined ? '?' : n(t.waitMs)} | ${t.runMs === undefined ? '?' : n(t.runMs)} |`,
    ),
    '',
    'Stages are read from the workflow history: from the first activity of a stage being scheduled to its last',
    'completing. "extract+explode" includes the COPY of every exploded row into staging, which is the only time',
    'a row is written: "load" is the atomic day replacement, on PostgreSQL a partition swap of the staged tables',
    '(plus the reconciliation counts), so "load rows/s" measures how fast a day becomes visible, not a second',
    'write. Floors: a bare parallel SDK Scan counting items, and a bare `COPY FROM STDIN` of the same exploded',
    'rows (CSV written by the real explode code) into fresh tables.',
    '',
  ];
  return lines.join('\n');
}

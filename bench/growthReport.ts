import type { ReadPath } from '../src/activities/extract';
import type { ProcessGroup } from './cpuTime';

/** One dailyReport run of the growth case. */
export interface GrowthRun {
  readonly trial: number;
  readonly table: string;
  readonly tableItems: number;
  readonly path: ReadPath;
  readonly segments: number;
  /** Client-side wall time of the whole workflow. */
  readonly wallMs: number;
  /** The extract+explode stage (every segment or range, and the RDS copy), from the history. */
  readonly extractMs: number;
  readonly loadMs: number;
  /** Items DynamoDB read (and would bill) for the day. */
  readonly itemsRead: number;
  readonly itemsSeen: number;
  readonly itemsLoaded: number;
  readonly cpuSeconds: Record<ProcessGroup, number>;
}

/** Medians of one table × path over the trials. */
export interface GrowthCase {
  readonly table: string;
  readonly tableItems: number;
  readonly path: ReadPath;
  readonly segments: number;
  readonly extractMs: number;
  readonly wallMs: number;
  readonly itemsRead: number;
  readonly itemsLoaded: number;
  readonly cpuSeconds: Record<ProcessGroup, number>;
}

export interface GrowthRatio {
  readonly path: ReadPath;
  /** Large-table time over one-day-table time, extract stage and end to end. */
  readonly extract: number;
  readonly endToEnd: number;
  readonly itemsRead: number;
}

export interface GrowthTarget {
  readonly name: string;
  readonly value: string;
  readonly met: boolean;
}

export interface GrowthResult {
  readonly date: string;
  readonly startedAt: string;
  readonly command: string;
  readonly machine: {
    readonly cpus: number;
    readonly node: string;
    readonly loadAverageBefore: number[];
    readonly loadAverageAfter: number[];
  };
  readonly day: string;
  readonly itemsPerDay: number;
  readonly days: number;
  readonly tables: readonly { name: string; days: number; items: number; reused: boolean; seconds: number }[];
  readonly runs: readonly GrowthRun[];
  readonly cases: readonly GrowthCase[];
  readonly ratios: readonly GrowthRatio[];
  readonly targets: readonly GrowthTarget[];
}

/** The target: the day from the large table takes at most this many times as long as from its own table. */
export const GROWTH_TARGET = 1.2;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function summarizeGrowth(
  runs: readonly GrowthRun[],
  smallTable: string,
  largeTable: string,
  itemsPerDay: number,
): Pick<GrowthResult, 'cases' | 'ratios' | 'targets'> {
  const caseOf = (table: string, path: ReadPath): GrowthCase => {
    const mine = runs.filter((r) => r.table === table && r.path === path);
    // CPU from the run with the median extract time, so the figures belong to one real run.
    const byExtract = [...mine].sort((a, b) => a.extractMs - b.extractMs);
    const typical = byExtract[Math.floor((byExtract.length - 1) / 2)]!;
    return {
      table,
      tableItems: typical.tableItems,
      path,
      segments: typical.segments,
      extractMs: median(mine.map((r) => r.extractMs)),
      wallMs: median(mine.map((r) => r.wallMs)),
      itemsRead: median(mine.map((r) => r.itemsRead)),
      itemsLoaded: median(mine.map((r) => r.itemsLoaded)),
      cpuSeconds: typical.cpuSeconds,
    };
  };
  const cases: GrowthCase[] = [];
  const ratios: GrowthRatio[] = [];
  for (const path of ['index', 'scan'] as const) {
    const small = caseOf(smallTable, path);
    const large = caseOf(largeTable, path);
    cases.push(small, large);
    ratios.push({
      path,
      extract: large.extractMs / small.extractMs,
      endToEnd: large.wallMs / small.wallMs,
      itemsRead: large.itemsRead / small.itemsRead,
    });
  }
  const indexRatio = ratios.find((r) => r.path === 'index')!;
  const indexLarge = cases.find((c) => c.table === largeTable && c.path === 'index')!;
  const loadedAlike = new Set(runs.map((r) => r.itemsLoaded)).size === 1;
  const targets: GrowthTarget[] = [
    {
      name: `index path: extract from the large table / from the day's own table (≤ ${GROWTH_TARGET})`,
      value: `${indexRatio.extract.toFixed(2)}×`,
      met: indexRatio.extract <= GROWTH_TARGET,
    },
    {
      name: `index path: items read from the large table = the day's items (${itemsPerDay.toLocaleString('en-US')})`,
      value: indexLarge.itemsRead.toLocaleString('en-US'),
      met: indexLarge.itemsRead === itemsPerDay,
    },
    {
      name: 'every run loaded the same number of queries',
      value: [...new Set(runs.map((r) => r.itemsLoaded))].map((n) => n.toLocaleString('en-US')).join(', '),
      met: loadedAlike,
    },
  ];
  return { cases, ratios, targets };
}

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const count = (n: number) => Math.round(n).toLocaleString('en-US');
const cpu = (c: Record<ProcessGroup, number>) =>
  `${c.worker.toFixed(1)} / ${c.dynalite.toFixed(1)} / ${c.postgres.toFixed(1)} / ${c.temporal.toFixed(1)}`;

export function formatGrowthMarkdown(r: GrowthResult): string {
  const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(' ');
  const trials = Math.max(...r.runs.map((run) => run.trial));
  const lines = [
    `# libreport growth benchmark ${r.date}: one day of ${count(r.itemsPerDay)} items, alone and among ${r.days} days`,
    '',
    `Command: \`${r.command}\``,
    '',
    `Machine: ${r.machine.cpus} CPUs, Node ${r.machine.node}; load average before ${load(r.machine.loadAverageBefore)}, ` +
      `after ${load(r.machine.loadAverageAfter)} (other work on the machine adds noise).`,
    `Day ${r.day}; ${trials} trial(s) per case, interleaved; medians shown. The real dailyReport workflow ` +
      '(one worker process per table, the compiled build), email skipped.',
    '',
    '| table | items in table | path | segments | extract+explode | end to end | items read | items loaded | CPU s worker / dynalite / pg / temporal |',
    '| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...r.cases.map(
      (c) =>
        `| ${c.table} | ${count(c.tableItems)} | ${c.path} | ${c.segments} | ${secs(c.extractMs)} | ${secs(c.wallMs)} | ` +
        `${count(c.itemsRead)} | ${count(c.itemsLoaded)} | ${cpu(c.cpuSeconds)} |`,
    ),
    '',
    `| path | extract ${r.days}-day / 1-day | end to end ${r.days}-day / 1-day | items read ${r.days}-day / 1-day |`,
    '| --- | ---: | ---: | ---: |',
    ...r.ratios.map(
      (x) =>
        `| ${x.path} | ${x.extract.toFixed(2)}× | ${x.endToEnd.toFixed(2)}× | ${x.itemsRead.toFixed(2)}× |`,
    ),
    '',
    '## Targets',
    '',
    ...r.targets.map((t) => `- ${t.met ? '✅' : '❌'} ${t.name}: **${t.value}**`),
    '',
    '## Tables',
    '',
    ...r.tables.map(
      (t) =>
        `- ${t.name}: ${t.days} day(s), ${count(t.items)} items, ${t.reused ? 'reused (seeded earlier in' : 'seeded in'} ` +
        `${t.seconds.toFixed(0)} s${t.reused ? ')' : ''}`,
    ),
    '',
    '## Every run',
    '',
    '| trial | table | path | extract+explode | load | end to end | items read | CPU s worker / dynalite / pg / temporal |',
    '| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: |',
    ...r.runs.map(
      (x) =>
        `| ${x.trial} | ${x.table} | ${x.path} | ${secs(x.extractMs)} | ${secs(x.loadMs)} | ${secs(x.wallMs)} | ` +
        `${count(x.itemsRead)} | ${cpu(x.cpuSeconds)} |`,
    ),
    '',
    '"extract+explode" spans the first segment (or key range) being scheduled to the last one and the RDS copy',
    'finishing, as read from the workflow history; "items read" is what DynamoDB read for the day (ScannedCount),',
    'the figure DynamoDB bills. The scan path reads the whole table and filters; the index path queries the day.',
    '',
  ];
  return `${lines.join('\n')}\n`;
}

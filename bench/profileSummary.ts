import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The parts of a V8 `.cpuprofile` the summary reads. */
interface CpuProfile {
  readonly nodes: readonly {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
  }[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Self time per function and per source area, in ms, heaviest first. */
export interface ProfileSummary {
  readonly file: string;
  readonly totalMs: number;
  readonly byFunction: readonly { name: string; ms: number }[];
  readonly byArea: readonly { area: string; ms: number }[];
}

/** Groups a script URL into something a reader can act on: our files by path, packages by name. */
function areaOf(url: string): string {
  if (url === '') return '(native / idle / gc)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  const ours = /\/(src|bench)\/(.+)$/.exec(url);
  if (ours) return `${ours[1]}/${ours[2]}`;
  if (url.startsWith('node:')) return url;
  return path.basename(url);
}

export function summarizeProfile(file: string, top = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const nodes = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const byFunction = new Map<string, number>();
  const byArea = new Map<string, number>();
  let totalUs = 0;
  profile.samples.forEach((id, i) => {
    const frame = nodes.get(id)!;
    const us = profile.timeDeltas[i] ?? 0;
    totalUs += us;
    const name = `${frame.functionName || '(anonymous)'} ${areaOf(frame.url)}${frame.url ? `:${frame.lineNumber + 1}` : ''}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + us);
    const area = areaOf(frame.url);
    byArea.set(area, (byArea.get(area) ?? 0) + us);
  });
  const heaviest = (map: Map<string, number>) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([key, us]) => [key, us / 1000] as const);
  return {
    file,
    totalMs: totalUs / 1000,
    byFunction: heaviest(byFunction).map(([name, ms]) => ({ name, ms })),
    byArea: heaviest(byArea).map(([area, ms]) => ({ area, ms })),
  };
}

/** Summaries of every profile in `dir`, largest first (the worker's main thread is the largest). */
export function summarizeProfiles(dir: string): ProfileSummary[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => summarizeProfile(path.join(dir, f)))
    .sort((a, b) => b.totalMs - a.totalMs);
}

export function formatProfileSummary(summary: ProfileSummary): string {
  const line = (label: string, ms: number) =>
    `  ${ms.toFixed(0).padStart(7)} ms  ${((100 * ms) / summary.totalMs).toFixed(1).padStart(5)}%  ${label}`;
  return [
    `${path.basename(summary.file)}: ${(summary.totalMs / 1000).toFixed(1)} s sampled`,
    ' by area (self time):',
    ...summary.byArea.map((a) => line(a.area, a.ms)),
    ' by function (self time):',
    ...summary.byFunction.map((f) => line(f.name, f.ms)),
  ].join('\n');
}

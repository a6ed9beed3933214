import type { BackfillProgress } from '../../../workflows/backfill';
import { formatBar } from '../../progressBar';

export function settledCount(p: BackfillProgress): number {
  return p.done.length + p.failed.length + p.skipped.length + p.cancelled.length;
}

export function noteFor(p: BackfillProgress): string {
  return [
    p.status,
    p.running.length && `${p.running.length} running`,
    p.failed.length && `${p.failed.length} failed`,
  ]
    .filter(Boolean)
    .join(', ');
}

export function coveredDays(p: BackfillProgress): string[] {
  return [
    ...p.pending,
    ...p.running,
    ...p.done,
    ...p.cancelled,
    ...p.failed.map((f) => f.date),
    ...p.skipped.map((s) => s.date),
  ];
}

/** A backfill's progress for people: a bar, the counts, running days, and every failure with its reason. */
export function formatProgress(p: BackfillProgress): string {
  const lines = [
    `backfill ${p.backfillId}: ${p.status}`,
    `days ${formatBar(settledCount(p), p.total, 30)} ${settledCount(p)}/${p.total}`,
    `  done ${p.done.length}, running ${p.running.length}, pending ${p.pending.length}, skipped ${p.skipped.length}, ` +
      `failed ${p.failed.length}, cancelled ${p.cancelled.length}`,
    `  concurrency ${p.concurrency}, email ${p.email}, reprocess ${p.reprocess}`,
  ];
  if (p.running.length) lines.push(`  running: ${p.running.join(', ')}`);
  if (p.pending.length)
    lines.push(`  next: ${p.pending.slice(0, 5).join(', ')}${p.pending.length > 5 ? ', …' : ''}`);
  for (const failure of p.failed) lines.push(`  failed ${failure.date}: ${failure.reason}`);
  return `${lines.join('\n')}\n`;
}

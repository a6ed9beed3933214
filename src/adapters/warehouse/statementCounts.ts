import { AsyncLocalStorage } from 'node:async_hooks';

/** What a piece of work cost the warehouse: statements sent (COPYs included) and bulk loads among them. */
export interface StatementCounts {
  readonly statements: number;
  readonly copies: number;
}

/**
 * The adapters count into whichever `countWarehouseWork` call they run under. An async-local counter, not a
 * field on the warehouse, because one worker's warehouse serves several activities at once and each
 * activity reports only its own statements.
 */
const current = new AsyncLocalStorage<{ statements: number; copies: number }>();

/** Called by an adapter for every statement it sends; `copy` for a bulk load (COPY). */
export function countStatement(copy = false): void {
  const counts = current.getStore();
  if (!counts) return;
  counts.statements++;
  if (copy) counts.copies++;
}

/** Runs `work` and returns its result with the statements and COPYs the warehouse ran for it. */
export async function countWarehouseWork<T>(work: () => Promise<T>): Promise<[T, StatementCounts]> {
  const counts = { statements: 0, copies: 0 };
  const result = await current.run(counts, work);
  return [result, { ...counts }];
}

/** The counts so far of the `countWarehouseWork` call this runs under (zero outside one). */
export function statementsSoFar(): StatementCounts {
  const counts = current.getStore();
  return counts ? { ...counts } : noStatements();
}

export const noStatements = (): StatementCounts => ({ statements: 0, copies: 0 });

export function addStatementCounts(a: StatementCounts, b: StatementCounts | undefined): StatementCounts {
  return { statements: a.statements + (b?.statements ?? 0), copies: a.copies + (b?.copies ?? 0) };
}

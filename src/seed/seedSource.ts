import type { SearchTable } from '../adapters/dynamo/port';
import { ensureRdsSchema } from '../adapters/rds/pgRds';
import type { Rds } from '../adapters/rds/port';
import type { BadItemKind } from './badItems';
import { generateCatalogue } from './catalogue';
import { generateSearchItems } from './generateSearches';
import { createDynamoLoader, type DynamoLoadStats } from './loadDynamo';
import { ChoiceWriter, upsertBooks, upsertStaff } from './loadRds';
import { resolveSeedOptions, type SeedOptions } from './options';
import type { Progress } from './progress';
import { generateStaff } from './staff';

export interface SeedDeps {
  readonly table: SearchTable;
  readonly rds: Rds;
  readonly log?: (line: string) => void;
  /** Builds a progress reporter for the item load (the CLI draws a bar; tests pass nothing). */
  readonly progress?: (total: number) => Progress;
  readonly now?: () => Date;
}

export interface SeedDaySummary {
  readonly day: string;
  readonly items: number;
  readonly badItems: number;
  /** Good items whose search found nothing. */
  readonly failedSearches: number;
  readonly choices: number;
}

/** What a seed run wrote, and how long it took. */
export interface SeedSummary {
  readonly seed: string;
  readonly table: string;
  readonly startDate: string;
  readonly days: number;
  readonly items: number;
  readonly badItems: number;
  readonly badByKind: Readonly<Partial<Record<BadItemKind, number>>>;
  /** Good items carrying hostile-but-valid keyword text. */
  readonly hostileTextItems: number;
  /** Good items written without `searched_at`. */
  readonly legacyItems: number;
  /** Generated items not written because the day index refuses their `query_date` type. */
  readonly refusedByDayIndex: number;
  readonly failedSearches: number;
  readonly choices: number;
  readonly books: number;
  readonly staff: number;
  readonly byDay: readonly SeedDaySummary[];
  readonly dynamo: DynamoLoadStats;
  readonly timings: {
    readonly rdsMs: number;
    readonly itemsMs: number;
    readonly totalMs: number;
    readonly itemsPerSecond: number;
  };
}

/**
 * Fills the search table and the RDS database with deterministic demo data: the catalogue and
 * staff directory, then `items` searches streamed into DynamoDB while their choices stream into
 * `user_choice`. Re-running with the same options rewrites the same keys (no duplicates).
 */
export async function seedSource(deps: SeedDeps, options: SeedOptions): Promise<SeedSummary> {
  const log = deps.log ?? (() => undefined);
  const o = resolveSeedOptions(options, deps.now?.() ?? new Date());
  const started = Date.now();

  await deps.table.ensureTable();
  // Once the day index exists DynamoDB refuses a write whose `query_date` is not a string (the whole batch
  // would fail), so that kind of bad item can only exist in a table without it, or from before it.
  const indexed = (await deps.table.describe()).dayIndex !== 'absent';
  let refusedByDayIndex = 0;
  await ensureRdsSchema(deps.rds);
  const catalogue = generateCatalogue(o.seed, o.catalogueSize);
  const staff = generateStaff(o.seed, o.staffSize);
  await upsertBooks(deps.rds, catalogue.books);
  await upsertStaff(deps.rds, staff);
  const rdsMs = Date.now() - started;
  log(
    `book_info: ${catalogue.books.length} books; staff: ${staff.length} (${staff.filter((s) => !s.active).length} inactive)`,
  );

  const progress = deps.progress?.(o.items);
  const loader = createDynamoLoader(deps.table, {
    concurrency: o.concurrency,
    onWritten: (n) => progress?.advance(n),
  });
  const choices = new ChoiceWriter(deps.rds);
  const byDay = new Map<
    string,
    { items: number; badItems: number; failedSearches: number; choices: number }
  >();
  const badByKind: Partial<Record<BadItemKind, number>> = {};
  let badItems = 0;
  let hostileTextItems = 0;
  let legacyItems = 0;
  let failedSearches = 0;
  let choiceCount = 0;

  log(
    `DynamoDB ${deps.table.tableName}: writing ${o.items} items over ${o.days} days from ${o.startDate} (seed "${o.seed}")`,
  );
  const itemsStarted = Date.now();
  for (const search of generateSearchItems({ ...o, catalogue })) {
    if (indexed && search.item.query_date && !('S' in search.item.query_date)) {
      refusedByDayIndex++;
      continue;
    }
    await loader.add(search.item);
    await choices.add(search.choices);
    const day = byDay.get(search.queryDate) ?? { items: 0, badItems: 0, failedSearches: 0, choices: 0 };
    byDay.set(search.queryDate, day);
    day.items++;
    day.choices += search.choices.length;
    choiceCount += search.choices.length;
    if (search.badKind) {
      day.badItems++;
      badItems++;
      badByKind[search.badKind] = (badByKind[search.badKind] ?? 0) + 1;
      continue;
    }
    if (search.returnedIsbns.length === 0) {
      day.failedSearches++;
      failedSearches++;
    }
    if (search.hostileText) hostileTextItems++;
    if (search.legacyShape) legacyItems++;
  }
  const dynamo = await loader.finish();
  await choices.finish();
  progress?.finish();
  const itemsMs = Date.now() - itemsStarted;
  const summary: SeedSummary = {
    seed: o.seed,
    table: deps.table.tableName,
    startDate: o.startDate,
    days: o.days,
    items: o.items,
    badItems,
    badByKind,
    hostileTextItems,
    legacyItems,
    refusedByDayIndex,
    failedSearches,
    choices: choiceCount,
    books: catalogue.books.length,
    staff: staff.length,
    byDay: [...byDay].map(([day, counts]) => ({ day, ...counts })),
    dynamo,
    timings: {
      rdsMs,
      itemsMs,
      totalMs: Date.now() - started,
      itemsPerSecond: itemsMs > 0 ? Math.round((o.items * 1000) / itemsMs) : 0,
    },
  };
  if (refusedByDayIndex > 0)
    log(
      `not written: ${refusedByDayIndex} items whose query_date is not a string (the day index refuses them)`,
    );
  if (badItems > 0)
    log(
      `bad items: ${Object.entries(badByKind)
        .map(([kind, n]) => `${kind} ${n}`)
        .join(', ')}`,
    );
  return summary;
}

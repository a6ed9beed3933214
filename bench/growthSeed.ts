import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  DeleteTableCommand,
  ResourceNotFoundException,
  waitUntilTableNotExists,
} from '@aws-sdk/client-dynamodb';
import { createDynamoClient, dynamoSearchTable } from '../src/adapters/dynamo/dynamoSearchTable';
import type { Config } from '../src/config/config';
import { addDays } from '../src/domain/reportDate';
import { generateCatalogue } from '../src/seed/catalogue';
import { generateSearchItems } from '../src/seed/generateSearches';
import { createDynamoLoader } from '../src/seed/loadDynamo';
import { countProgress } from '../src/cli/progressBar';

/** One table of the growth case: the days it holds, each with the same number of items. */
export interface GrowthTable {
  readonly name: string;
  readonly days: readonly string[];
  readonly itemsPerDay: number;
}

export interface GrowthSeed {
  readonly reused: boolean;
  /** Seconds the seed took (that of the run that seeded it, when reused). */
  readonly seconds: number;
  readonly items: number;
}

/** The seed of a day's items: the same day is the same items in every table that holds it. */
const daySeed = (day: string) => `growth/${day}`;
const CATALOGUE_SEED = 'growth';
const CATALOGUE_SIZE = 5_000;
/**
 * BatchWriteItem calls in flight while seeding. dynalite is one process; 16 keeps it busy while the generator
 * (this process) makes the next batches, without piling up unprocessed items.
 */
const SEED_CONCURRENCY = 16;

/** `count` consecutive days from `first`. */
export function consecutiveDays(first: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => addDays(first, i));
}

interface Marker {
  readonly days: readonly string[];
  readonly itemsPerDay: number;
  readonly seconds: number;
}

/**
 * Makes sure `table` holds exactly its days (with the day index), seeding when a marker from a complete seed of
 * the same shape is missing. A table of another shape is deleted first, so no day of an earlier seed lingers.
 */
export async function ensureGrowthTable(
  config: Config,
  table: GrowthTable,
  reseed: boolean,
  log: (line: string) => void,
): Promise<GrowthSeed> {
  const markerFile = path.join(config.dataDir, `growth-${table.name}.json`);
  const settings = { endpoint: config.dynamo.endpoint, region: config.aws.region, table: table.name };
  const client = createDynamoClient(settings);
  const searchTable = dynamoSearchTable(client, settings);
  const items = table.days.length * table.itemsPerDay;
  try {
    const marker = readMarker(markerFile);
    const sameShape =
      marker?.itemsPerDay === table.itemsPerDay && JSON.stringify(marker.days) === JSON.stringify(table.days);
    if (!reseed && marker && sameShape) {
      const status = await searchTable.describe().then(
        (d) => d.dayIndex,
        () => 'missing' as const,
      );
      if (status === 'active') return { reused: true, seconds: marker.seconds, items };
    }
    await client.send(new DeleteTableCommand({ TableName: table.name })).then(
      () => waitUntilTableNotExists({ client, maxWaitTime: 120, minDelay: 1 }, { TableName: table.name }),
      (error: unknown) => {
        if (!(error instanceof ResourceNotFoundException)) throw error;
      },
    );
    await searchTable.ensureTable({ dayIndex: true });

    log(
      `seeding ${items.toLocaleString('en-US')} items (${table.days.length} days × ${table.itemsPerDay.toLocaleString('en-US')}) into ${table.name}`,
    );
    const started = Date.now();
    const catalogue = generateCatalogue(CATALOGUE_SEED, CATALOGUE_SIZE);
    const progress = countProgress(`seed ${table.name}`, items, process.stderr);
    const loader = createDynamoLoader(searchTable, {
      concurrency: SEED_CONCURRENCY,
      onWritten: (n) => progress.advance(n),
    });
    for (const day of table.days) {
      const searches = generateSearchItems({
        seed: daySeed(day),
        items: table.itemsPerDay,
        startDate: day,
        days: 1,
        timeZone: config.report.timeZone,
        badItemRate: 0,
        legacyShare: 0,
        catalogue,
      });
      for (const search of searches) await loader.add(search.item);
    }
    await loader.finish();
    progress.finish();
    const seconds = (Date.now() - started) / 1000;
    mkdirSync(path.dirname(markerFile), { recursive: true });
    const written: Marker = { days: table.days, itemsPerDay: table.itemsPerDay, seconds };
    writeFileSync(markerFile, JSON.stringify(written, null, 2));
    return { reused: false, seconds, items };
  } finally {
    client.destroy();
  }
}

function readMarker(file: string): Marker | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Marker;
  } catch {
    return undefined;
  }
}

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createDynamoClient, dynamoSearchTable } from '../src/adapters/dynamo/dynamoSearchTable';
import { pgRds } from '../src/adapters/rds/pgRds';
import { createPgPool } from '../src/adapters/warehouse/pgWarehouse';
import type { Config } from '../src/config/config';
import { seedSource } from '../src/seed';
import { countProgress } from '../src/cli/progressBar';
import { BENCH_DATE, BENCH_SEED } from './benchEnv';

/** What the marker file records about a seeded benchmark table, to decide whether it can be reused. */
interface SeedMarker {
  readonly table: string;
  readonly items: number;
  readonly date: string;
  readonly seed: string;
  readonly rds: string;
  readonly seconds: number;
}

export interface SeedOutcome {
  readonly reused: boolean;
  /** Seeding time (of the run that seeded the table, when reused). */
  readonly seconds: number;
}

/**
 * Makes sure the size's table holds exactly one seeded day of `items` items, seeding it when it does not.
 * Seeding 1M items takes minutes, so a marker written after a complete seed lets later runs reuse the table;
 * the extract floor's count then confirms the table still holds the day.
 */
export async function ensureSeeded(
  config: Config,
  items: number,
  reseed: boolean,
  log: (line: string) => void,
): Promise<SeedOutcome> {
  const markerFile = path.join(config.dataDir, `seeded-${config.dynamo.table}.json`);
  const settings = {
    endpoint: config.dynamo.endpoint,
    region: config.aws.region,
    table: config.dynamo.table,
  };
  const client = createDynamoClient(settings);
  const table = dynamoSearchTable(client, settings);
  const rds = pgRds(createPgPool(config.rds.url, { max: 2 }));
  try {
    const marker = readMarker(markerFile);
    if (
      !reseed &&
      marker &&
      marker.items === items &&
      marker.date === BENCH_DATE &&
      marker.seed === BENCH_SEED &&
      marker.rds === config.rds.url
    ) {
      const present = await table.describe().then(
        () => true,
        () => false,
      );
      const choices = await rds.query<{ n: string }>('SELECT COUNT(*) AS n FROM user_choice').then(
        (rows) => Number(rows[0]?.n ?? 0),
        () => 0,
      );
      if (present && choices > 0) return { reused: true, seconds: marker.seconds };
    }
    log(
      `seeding ${items.toLocaleString('en-US')} items for ${BENCH_DATE} into ${config.dynamo.table} (this takes a while once)`,
    );
    const summary = await seedSource(
      {
        table,
        rds,
        log,
        progress: (total) => countProgress('seed', total, process.stderr),
      },
      { items, days: 1, startDate: BENCH_DATE, seed: BENCH_SEED, timeZone: config.report.timeZone },
    );
    const seconds = summary.timings.totalMs / 1000;
    mkdirSync(path.dirname(markerFile), { recursive: true });
    const written: SeedMarker = {
      table: config.dynamo.table,
      items,
      date: BENCH_DATE,
      seed: BENCH_SEED,
      rds: config.rds.url,
      seconds,
    };
    writeFileSync(markerFile, JSON.stringify(written, null, 2));
    return { reused: false, seconds };
  } finally {
    client.destroy();
    await rds.close();
  }
}

function readMarker(file: string): SeedMarker | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as SeedMarker;
  } catch {
    return undefined;
  }
}

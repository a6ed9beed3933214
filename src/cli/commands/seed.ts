import { Command } from 'commander';
import { createDynamoClient, dynamoSearchTable } from '../../adapters/dynamo/dynamoSearchTable';
import { pgRds } from '../../adapters/rds/pgRds';
import { createPgPool } from '../../adapters/warehouse/pgWarehouse';
import { loadConfig, redactUrl } from '../../config/config';
import { UserInputError } from '../../errors';
import {
  resolveSeedOptions,
  SEED_DEFAULTS,
  seedSource,
  type SeedOptions,
  type SeedSummary,
} from '../../seed';
import { countProgress, formatDuration } from '../progressBar';
import { runAction } from '../runAction';

interface SeedFlags {
  items?: string;
  days?: string;
  startDate?: string;
  seed?: string;
  badItems?: string;
  legacyShare?: string;
  concurrency?: string;
  catalogue?: string;
  json?: boolean;
}

/** `libreport seed`: deterministic demo data in the configured DynamoDB table and RDS database. */
export function seedCommand(): Command {
  return new Command('seed')
    .description(
      'Write deterministic demo data: search items into the DynamoDB table (created if absent), and ' +
        'book_info, staff and user_choice rows into the RDS database. The same options always write the ' +
        'same data, and re-running overwrites instead of duplicating.',
    )
    .option(
      '--items <n>',
      `search items to write (default ${SEED_DEFAULTS.items.toLocaleString('en-US')}; 1000000 works)`,
    )
    .option('--days <k>', `days the items are spread over, weekends quieter (default ${SEED_DEFAULTS.days})`)
    .option(
      '--start-date <YYYY-MM-DD>',
      'first day, in the report time zone (default: the last day is yesterday)',
    )
    .option('--seed <s>', `any string; the same seed gives the same data (default "${SEED_DEFAULTS.seed}")`)
    .option('--bad-items <rate>', 'share 0..1 of items with one defect, to exercise quarantine (default 0)')
    .option(
      '--legacy-share <rate>',
      'share 0..1 of good items written without searched_at, as the old producer did (default 0)',
    )
    .option('--concurrency <n>', `DynamoDB batch writes in flight (default ${SEED_DEFAULTS.concurrency})`)
    .option(
      '--catalogue <n>',
      `books in book_info (default ${SEED_DEFAULTS.catalogueSize.toLocaleString('en-US')})`,
    )
    .option('--json', 'print the summary as JSON on stdout (progress stays on stderr)')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  libreport seed                                   10,000 items over the 7 days up to yesterday\n' +
        '  libreport seed --items 1000000 --days 30         a month at full scale\n' +
        '  libreport seed --start-date 2024-05-16 --days 1  one fixed day (reproducible demos and tests)\n' +
        '  libreport seed --bad-items 0.02 --seed qa        2% malformed items for quarantine testing\n' +
        '\nWrites to DYNAMODB_TABLE at DYNAMODB_ENDPOINT and to RDS_URL (see .env.example).',
    )
    .action(
      runAction(async (flags: SeedFlags) => {
        const config = loadConfig();
        // Checked before connecting, so a typo costs one line and no connection attempts.
        const options = resolveSeedOptions({ ...parseFlags(flags), timeZone: config.report.timeZone });
        const settings = {
          endpoint: config.dynamo.endpoint,
          region: config.aws.region,
          table: config.dynamo.table,
        };
        const client = createDynamoClient(settings);
        const rds = pgRds(createPgPool(config.rds.url, { max: 2 }));
        const say = (line: string) => (flags.json ? process.stderr : process.stdout).write(`${line}\n`);
        try {
          say(`Seeding ${settings.endpoint ?? `AWS ${settings.region}`} and ${redactUrl(config.rds.url)}`);
          const summary = await seedSource(
            {
              table: dynamoSearchTable(client, settings),
              rds,
              log: say,
              progress: (total) => countProgress('items', total, process.stderr),
            },
            options,
          );
          if (flags.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
          else printSummary(summary);
        } finally {
          client.destroy();
          await rds.close();
        }
      }),
    );
}

function parseFlags(flags: SeedFlags): SeedOptions {
  return {
    items: whole('--items', flags.items),
    days: whole('--days', flags.days),
    startDate: flags.startDate,
    seed: flags.seed,
    badItemRate: decimal('--bad-items', flags.badItems),
    legacyShare: decimal('--legacy-share', flags.legacyShare),
    concurrency: whole('--concurrency', flags.concurrency),
    catalogueSize: whole('--catalogue', flags.catalogue),
  };
}

function whole(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const cleaned = raw.replace(/[_,]/g, '');
  if (!/^-?\d+$/.test(cleaned)) throw new UserInputError(`${name} must be a whole number (got "${raw}")`);
  return Number(cleaned);
}

function decimal(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^-?(\d+\.?\d*|\.\d+)$/.test(raw))
    throw new UserInputError(`${name} must be a number between 0 and 1 (got "${raw}")`);
  return Number(raw);
}

function printSummary(s: SeedSummary): void {
  const n = (x: number) => x.toLocaleString('en-US');
  const lines = [
    `Wrote ${n(s.items)} items to ${s.table} in ${formatDuration(s.timings.itemsMs)} (${n(s.timings.itemsPerSecond)} items/s)`,
    `  days ${s.startDate} +${s.days - 1}: ${s.byDay.map((d) => `${d.day.slice(5)} ${n(d.items)}`).join(', ')}`,
    `  failed searches ${n(s.failedSearches)} (${pct(s.failedSearches, s.items - s.badItems)} of good items)` +
      `, bad items ${n(s.badItems)}, hostile-text items ${n(s.hostileTextItems)}, without searched_at ${n(s.legacyItems)}`,
    `  RDS: ${n(s.books)} books, ${n(s.staff)} staff, ${n(s.choices)} user choices`,
    `  DynamoDB: ${n(s.dynamo.batches)} batches, ${n(s.dynamo.retriedItems)} unprocessed items retried, ${n(s.dynamo.throttledCalls)} throttled calls`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

function pct(part: number, whole: number): string {
  return whole > 0 ? `${((100 * part) / whole).toFixed(1)}%` : '0%';
}

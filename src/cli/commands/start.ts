import { Command, Option } from 'commander';
import type { SearchTable } from '../../adapters/dynamo/port';
import { loadConfig, type Config } from '../../config/config';
import { addDays, dayInZone, isReportDate } from '../../domain/reportDate';
import { MissingResourceError } from '../../errors';
import { ensureSchedule } from '../../schedule/dailySchedule';
import { countProgress } from '../progressBar';
import { seedSource } from '../../seed';
import { stackUp } from '../../stack';
import { connectClient } from '../../temporal/connection';
import { ensureSearchAttributes } from '../../temporal/searchAttributes';
import { createPorts } from '../../worker/ports';
import { runWorker } from '../../worker/runWorker';
import { runDailyReportWorkflow } from '../dailyRun';
import { formatDailySummary } from '../formatSummary';
import { runAction } from '../runAction';

/** Demo data for an empty table: eight days, so the first report already has day- and week-ago comparisons. */
const DEMO = { items: 12_000, days: 8, badItemRate: 0.002 };
/** Items sampled to find the newest day in an existing table (hash-spread, so a small sample sees every day). */
const SAMPLE_ITEMS = 2_000;

export function startCommand(): Command {
  return new Command('start')
    .description(
      'The local demo in one command: start the stack, seed demo data if the table is empty, start a worker,\n' +
        'create the daily schedule, run the report for the latest day with data, and keep the worker running',
    )
    .option('--no-email', 'run the report without emailing staff')
    .addOption(
      new Option(
        '--warehouse <kind>',
        'pg, or redshift-data for the AWS path (Redshift Data API and S3 stand-ins); default WAREHOUSE_KIND',
      ).choices(['pg', 'redshift-data']),
    )
    .addHelpText(
      'after',
      '\nStop with Ctrl-C (the stack keeps running; `libreport stack down` stops it).\n\nExamples:\n  npm start\n' +
        '  npm start -- --warehouse redshift-data   # the AWS path: Redshift Data API and S3 stand-ins',
    )
    .action(
      runAction(async (options: { email: boolean; warehouse?: 'pg' | 'redshift-data' }) => {
        const config = options.warehouse
          ? loadConfig({ ...process.env, WAREHOUSE_KIND: options.warehouse })
          : loadConfig();
        const say = (line: string) => process.stdout.write(`${line}\n`);
        const aws = config.warehouse.kind === 'redshift-data' ? ', S3 and Redshift Data API stand-ins' : '';
        say(`Starting the local stack (Temporal dev server, dynalite, SES stand-in${aws}, PostgreSQL)…`);
        const stack = await stackUp(config, (line) => say(`  ${line}`));

        const ports = createPorts(config);
        let days: string[];
        try {
          days = await daysToReport(config, ports.searchTable, ports, say);
        } finally {
          await ports.close();
        }

        const client = await connectClient(config);
        const controller = new AbortController();
        for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => controller.abort());
        const worker = runWorker(config, { signal: controller.signal });
        try {
          await ensureSearchAttributes(client, config.temporal.namespace);
          const schedule = await ensureSchedule(client, config);
          say(
            `Schedule "${config.schedule.id}" ${schedule.created ? 'created' : 'already exists'} (${config.schedule.cron}, ${config.schedule.timeZone})`,
          );
          const latest = days[days.length - 1]!;
          for (const day of days.slice(0, -1)) {
            say(`Loading ${day} (no email) so the report can compare with earlier days…`);
            await runDailyReportWorkflow(client, config, {
              input: { date: day, email: 'skip' },
              progress: process.stderr,
            });
          }
          say(`Running the daily report for ${latest}…`);
          const result = await runDailyReportWorkflow(client, config, {
            input: { date: latest, email: options.email ? 'send' : 'skip' },
            progress: process.stderr,
          });
          say(formatDailySummary(result));
          const ses = stack.parts.find((part) => part.name === 'ses');
          say('');
          say(`Temporal Web UI   ${config.temporal.uiUrl}/namespaces/${config.temporal.namespace}/workflows`);
          say(`Sent mail         ${ses?.uiUrl ?? config.ses.endpoint ?? 'SES'}`);
          say(`Report file       ${result.report.location}`);
          say('');
          say('The worker keeps running for the schedule and for `libreport run`; press Ctrl-C to stop it.');
          await worker;
          return 0;
        } finally {
          controller.abort();
          await worker.catch(() => undefined);
          await client.connection.close();
        }
      }),
    );
}

/**
 * The days `start` loads: the newest day in the table, plus the seven before it when the table was just
 * seeded (so week-over-week changes show). An existing table is sampled for its newest day.
 */
async function daysToReport(
  config: Config,
  table: SearchTable,
  ports: ReturnType<typeof createPorts>,
  say: (line: string) => void,
): Promise<string[]> {
  let itemCount = 0;
  try {
    itemCount = (await table.describe()).itemCount;
  } catch (error) {
    if (!(error instanceof MissingResourceError)) throw error;
  }
  if (itemCount === 0) {
    say(
      `The table "${config.dynamo.table}" is empty: seeding ${DEMO.items.toLocaleString('en-US')} demo searches over ${DEMO.days} days…`,
    );
    const summary = await seedSource(
      {
        table,
        rds: ports.rds,
        progress: (total) => countProgress('items', total, process.stderr),
      },
      { ...DEMO, timeZone: config.report.timeZone },
    );
    return summary.byDay.map((day) => day.day).sort();
  }
  const page = await table.scanPage({ segment: 0, totalSegments: 1, limit: SAMPLE_ITEMS });
  const dates = page.items
    .map((item) => (item.query_date && 'S' in item.query_date ? item.query_date.S : ''))
    .filter(isReportDate);
  const newest = dates.sort().pop();
  return [newest ?? addDays(dayInZone(new Date(), config.report.timeZone), -1)];
}

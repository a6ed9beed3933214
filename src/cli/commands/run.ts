import { Command, InvalidArgumentError, Option } from 'commander';
import { loadConfig } from '../../config/config';
import { ensureSearchAttributes } from '../../temporal/searchAttributes';
import { runDailyReportWorkflow } from '../dailyRun';
import { formatDailySummary } from '../formatSummary';
import { runAction } from '../runAction';
import { finishedDayOption, withClientAndWorker } from '../temporalCommand';

export function runCommand(): Command {
  return new Command('run')
    .description('Load, report and email one day: DynamoDB → warehouse → mart → HTML report → SES')
    .requiredOption('-d, --date <YYYY-MM-DD>', 'the day to process (its query_date)')
    .option('--no-email', 'load and render, but email nobody')
    .addOption(
      new Option('--segments <n>', 'parallel scan segments (default: sized to the table)').argParser(
        positiveInt,
      ),
    )
    .addOption(
      new Option(
        '--read-path <path>',
        'how to read the day: the day index, the table scan, or auto (the index when active)',
      )
        .choices(['auto', 'index', 'scan'])
        .default('auto'),
    )
    .option('--no-worker', 'do not start a worker in this process; rely on running `libreport worker`s')
    .option('--json', 'print the summary as JSON on stdout')
    .addHelpText(
      'after',
      '\nRe-running a day replaces it in the warehouse and sends no second email (see `libreport resend`).\n' +
        'A second `run` of a day that is already running joins it.\n\nExamples:\n' +
        '  libreport run --date 2024-05-16\n  libreport run --date 2024-05-16 --no-email --json',
    )
    .action(
      runAction(
        async (options: {
          date: string;
          email: boolean;
          segments?: number;
          readPath: 'auto' | 'index' | 'scan';
          worker: boolean;
          json?: boolean;
        }) => {
          const config = loadConfig();
          const date = finishedDayOption(options.date, config);
          return withClientAndWorker(config, options.worker, async (client) => {
            if (config.env === 'local') await ensureSearchAttributes(client, config.temporal.namespace);
            const result = await runDailyReportWorkflow(client, config, {
              input: {
                date,
                email: options.email ? 'send' : 'skip',
                segments: options.segments,
                readPath: options.readPath,
              },
              progress: process.stderr,
            });
            process.stdout.write(
              options.json ? `${JSON.stringify(result, null, 2)}\n` : `${formatDailySummary(result)}\n`,
            );
            return 0;
          });
        },
      ),
    );
}

function positiveInt(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1)
    throw new InvalidArgumentError('must be a whole number of 1 or more');
  return parsed;
}

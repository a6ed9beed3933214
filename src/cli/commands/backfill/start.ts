import { Command, InvalidArgumentError, Option } from 'commander';
import { loadConfig } from '../../../config/config';
import { daysBetween } from '../../../domain/reportDate';
import { UserInputError } from '../../../errors';
import type { Reprocess } from '../../../workflows/backfill';
import { EXIT, runAction } from '../../runAction';
import { printJson, withClient, workflowLink } from '../../temporalCommand';
import { formatProgress } from './formatProgress';
import { rangeFromOptions } from './range';
import { startBackfill, watch } from './temporal';

const MAX_CONCURRENCY = 32;

interface StartOptions {
  readonly from: string;
  readonly to: string;
  readonly concurrency: number;
  readonly email?: boolean;
  readonly reprocess: Reprocess;
  readonly id?: string;
  readonly detach?: boolean;
  readonly json?: boolean;
}

/** `libreport backfill [start] --from D --to D`: start a backfill and watch it with a progress bar. */
export function addStartCommand(command: Command): void {
  command
    // The default subcommand, so `backfill --from --to` works while `add` keeps its own --from/--to.
    .command('start', { isDefault: true })
    .description('Start a backfill of --from..--to and watch it with a progress bar (the default)')
    .requiredOption('--from <YYYY-MM-DD>', 'first day to backfill')
    .requiredOption('--to <YYYY-MM-DD>', 'last day to backfill (at most yesterday in the report time zone)')
    .addOption(new Option('--concurrency <n>', 'days run at once').default(2).argParser(concurrencyOption))
    .option('--email', "email staff each day's report (backfills email nobody by default)")
    .addOption(
      new Option('--reprocess <which>', 'days already in the warehouse to run again')
        .choices(['none', 'failed', 'all'])
        .default('none'),
    )
    .option('--id <id>', 'backfill id (default <from>_<to>)')
    .option('--detach', 'start it and return at once instead of waiting')
    .option('--json', 'print the final progress as JSON on stdout')
    .addHelpText(
      'after',
      '\n--reprocess none skips days with a load audit row; failed re-runs days whose last load failed; all re-runs every day.\n' +
        'Ctrl-C stops watching, not the backfill: it goes on in Temporal (see "backfill cancel").\n' +
        '\nExamples:\n' +
        '  libreport backfill --from 2024-01-01 --to 2024-03-31 --concurrency 4\n' +
        '  libreport backfill --from 2024-05-01 --to 2024-05-07 --reprocess failed --email --detach',
    )
    .action(
      runAction(async (options: StartOptions) => {
        const config = loadConfig();
        const range = rangeFromOptions(options, config);
        const backfillId = options.id ?? `${range.from}_${range.to}`;
        if (!/^[A-Za-z0-9_.:-]{1,100}$/.test(backfillId)) {
          throw new UserInputError(`--id "${backfillId}" must be 1-100 letters, digits, or _ . : -`);
        }
        return withClient(config, async (client) => {
          const handle = await startBackfill(client, config, {
            backfillId,
            ranges: [range],
            concurrency: options.concurrency,
            email: options.email ? 'send' : 'skip',
            reprocess: options.reprocess,
          });
          process.stderr.write(
            `backfill ${backfillId}: ${daysBetween(range.from, range.to).length} days, ${options.concurrency} at a time, ` +
              `${options.email ? 'emailing staff' : 'no email'}\n  ${workflowLink(config, handle.workflowId)}\n`,
          );
          if (options.detach) {
            if (options.json)
              printJson({
                backfillId,
                workflowId: handle.workflowId,
                link: workflowLink(config, handle.workflowId),
              });
            process.stderr.write(`watch it with: libreport backfill status ${backfillId}\n`);
            return EXIT.ok;
          }
          const result = await watch(client, handle);
          if (options.json) printJson(result);
          else process.stdout.write(formatProgress(result));
          return result.status === 'completed' && result.failed.length === 0 ? EXIT.ok : EXIT.failed;
        });
      }),
    );
}

function concurrencyOption(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > MAX_CONCURRENCY) {
    throw new InvalidArgumentError(`must be a whole number from 1 to ${MAX_CONCURRENCY}`);
  }
  return parsed;
}

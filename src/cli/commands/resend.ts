import { randomUUID } from 'node:crypto';
import { Command, Option } from 'commander';
import type { Audience } from '../../activities/delivery';
import { loadConfig } from '../../config/config';
import { UserInputError } from '../../errors';
import { assertEmailAddress } from '../../report/mime';
import { resendReport, resendReportId } from '../../workflows/resendReport';
import { runAction } from '../runAction';
import { finishedDayOption, withClientAndWorker } from '../temporalCommand';

interface ResendOptions {
  readonly date: string;
  readonly only?: 'unknown';
  readonly to?: string;
  readonly worker: boolean;
  readonly json?: boolean;
}

export function resendCommand(): Command {
  return new Command('resend')
    .description(
      "Send a day's report once more: to every active staff member, to those whose send is unknown, or to one address (recorded in the delivery ledger)",
    )
    .requiredOption('-d, --date <YYYY-MM-DD>', 'the day whose report to send again')
    .addOption(
      new Option(
        '--only <status>',
        'only recipients whose earlier send is in this state and who were not sent it since',
      ).choices(['unknown']),
    )
    .option('--to <address>', 'send to this one address only')
    .option('--no-worker', 'do not start a worker in this process; rely on running `libreport worker`s')
    .option('--json', 'print the delivery result as JSON')
    .addHelpText(
      'after',
      '\nThe daily run never emails a day twice; this is the one way to do it on purpose.\n\n' +
        'Examples:\n  libreport resend --date 2024-05-16\n' +
        '  libreport resend --date 2024-05-16 --only unknown   # those an interrupted send may have missed\n' +
        '  libreport resend --date 2024-05-16 --to kim@example.com',
    )
    .action(
      runAction(async (options: ResendOptions) => {
        const config = loadConfig();
        const date = finishedDayOption(options.date, config);
        const audience = audienceOf(options);
        return withClientAndWorker(config, options.worker, async (client) => {
          const result = await client.workflow.execute(resendReport, {
            workflowId: resendReportId(date, randomUUID().slice(0, 8)),
            taskQueue: config.temporal.taskQueue,
            args: [{ date, audience }],
          });
          process.stdout.write(
            options.json
              ? `${JSON.stringify(result, null, 2)}\n`
              : `resent ${date}: ${result.sent} sent, ${result.rejected} rejected, to ${result.recipients} recipients\n`,
          );
          return 0;
        });
      }),
    );
}

function audienceOf(options: ResendOptions): Audience {
  if (options.only && options.to)
    throw new UserInputError('--only and --to cannot be combined; choose one group of recipients');
  if (options.only === 'unknown') return { kind: 'unknown' };
  if (options.to === undefined) return { kind: 'staff' };
  try {
    assertEmailAddress(options.to);
  } catch (error) {
    throw new UserInputError(`--to ${(error as Error).message}`);
  }
  return { kind: 'address', address: options.to };
}

import { randomUUID } from 'node:crypto';
import { Command } from 'commander';
import { loadConfig } from '../../config/config';
import { resendReport, resendReportId } from '../../workflows/resendReport';
import { runAction } from '../runAction';
import { finishedDayOption, withClientAndWorker } from '../temporalCommand';

export function resendCommand(): Command {
  return new Command('resend')
    .description(
      "Send a day's report once more to every active staff member (recorded in the delivery ledger)",
    )
    .requiredOption('-d, --date <YYYY-MM-DD>', 'the day whose report to send again')
    .option('--no-worker', 'do not start a worker in this process; rely on running `libreport worker`s')
    .option('--json', 'print the delivery result as JSON')
    .addHelpText(
      'after',
      '\nThe daily run never emails a day twice; this is the one way to do it on purpose.\n\n' +
        'Example:\n  libreport resend --date 2024-05-16',
    )
    .action(
      runAction(async (options: { date: string; worker: boolean; json?: boolean }) => {
        const config = loadConfig();
        const date = finishedDayOption(options.date, config);
        return withClientAndWorker(config, options.worker, async (client) => {
          const result = await client.workflow.execute(resendReport, {
            workflowId: resendReportId(date, randomUUID().slice(0, 8)),
            taskQueue: config.temporal.taskQueue,
            args: [{ date }],
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

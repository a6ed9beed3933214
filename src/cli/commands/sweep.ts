import { Command, InvalidArgumentError, Option } from 'commander';
import { WorkflowIdConflictPolicy } from '@temporalio/client';
import { loadConfig } from '../../config/config';
import { sweepUndated, sweepUndatedId } from '../../workflows/sweepUndated';
import { runAction } from '../runAction';
import { withClientAndWorker } from '../temporalCommand';

export function sweepCommand(): Command {
  return new Command('sweep')
    .description(
      'Quarantine the items no day can read through the day index: no query_date, not a string, or not a real day',
    )
    .addOption(
      new Option('--segments <n>', 'parallel Scan segments over the table').default(4).argParser(positiveInt),
    )
    .option('--no-worker', 'do not start a worker in this process; rely on running `libreport worker`s')
    .option('--json', 'print the result as JSON on stdout')
    .addHelpText(
      'after',
      '\nReads the whole table once (keys only, then the undated items in full) and files each undated item in\n' +
        'dw.quarantine under no day; sweeping again replaces, never duplicates. The weekly Schedule runs it too.\n\n' +
        'Examples:\n  libreport sweep\n  libreport sweep --segments 8 --json',
    )
    .action(
      runAction(async (options: { segments: number; worker: boolean; json?: boolean }) => {
        const config = loadConfig();
        return withClientAndWorker(config, options.worker, async (client) => {
          const result = await client.workflow.execute(sweepUndated, {
            workflowId: sweepUndatedId('on-demand'),
            taskQueue: config.temporal.taskQueue,
            args: [{ segments: options.segments, heartbeatSeconds: config.timeouts.scanHeartbeatSeconds }],
            // A sweep already running is joined, not started twice.
            workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
          });
          const reasons = Object.entries(result.byReason)
            .map(([reason, n]) => `${reason} ${n}`)
            .join(', ');
          process.stdout.write(
            options.json
              ? `${JSON.stringify(result, null, 2)}\n`
              : `swept ${result.itemsRead.toLocaleString('en-US')} items in ${result.segments} segments: ` +
                  `${result.quarantined} quarantined under no day${reasons ? ` (${reasons})` : ''}\n`,
          );
          return 0;
        });
      }),
    );
}

function positiveInt(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1)
    throw new InvalidArgumentError('must be a whole number of 1 or more');
  return parsed;
}

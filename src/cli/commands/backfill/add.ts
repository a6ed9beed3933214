import type { Command } from 'commander';
import { loadConfig } from '../../../config/config';
import { daysBetween } from '../../../domain/reportDate';
import { addRange } from '../../../workflows/backfill';
import { EXIT, runAction } from '../../runAction';
import { withClient } from '../../temporalCommand';
import { coveredDays } from './formatProgress';
import { rangeFromOptions } from './range';
import { queryProgress, runningBackfill } from './temporal';

/** `libreport backfill add <id> --from D --to D`: add days to a running backfill. */
export function addAddCommand(command: Command): void {
  command
    .command('add <id>')
    .description('Add days to a running backfill; days it already covers are not added twice')
    .requiredOption('--from <YYYY-MM-DD>', 'first day to add')
    .requiredOption('--to <YYYY-MM-DD>', 'last day to add')
    .addHelpText(
      'after',
      '\nExample:\n  libreport backfill add 2024-01-01_2024-03-31 --from 2024-04-01 --to 2024-04-30',
    )
    .action(
      runAction(async (id: string, options: { from: string; to: string }) => {
        const config = loadConfig();
        const range = rangeFromOptions(options, config);
        return withClient(config, async (client) => {
          const handle = await runningBackfill(client, id);
          const before = await queryProgress(client, handle);
          const covered = new Set(coveredDays(before));
          const days = daysBetween(range.from, range.to);
          const fresh = days.filter((day) => !covered.has(day)).length;
          await handle.signal(addRange, range);
          process.stdout.write(
            `backfill ${id}: ${fresh} new days added, ${days.length - fresh} already covered\n`,
          );
          return EXIT.ok;
        });
      }),
    );
}

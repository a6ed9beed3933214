import { Command } from 'commander';
import { addAddCommand } from './add';
import { addSignalCommands } from './signals';
import { addStartCommand } from './start';
import { addStatusCommand } from './status';

export { parseBackfillRange } from './range';

/** `libreport backfill …`: start a backfill, watch it, add days, pause, resume or cancel it. */
export function backfillCommand(): Command {
  const command = new Command('backfill')
    // Set before the subcommands are added so they inherit it: parse errors reach main's exit code 2.
    .exitOverride()
    .description('Load and report a range of past days, several at a time, as one long-running backfill')
    .addHelpText(
      'after',
      '\n"libreport backfill --from … --to …" is short for "libreport backfill start --from … --to …".\n' +
        '\nExamples:\n' +
        '  libreport backfill --from 2024-01-01 --to 2024-03-31 --concurrency 4\n' +
        '  libreport backfill status 2024-01-01_2024-03-31\n' +
        '  libreport backfill add 2024-01-01_2024-03-31 --from 2024-04-01 --to 2024-04-30\n' +
        '  libreport backfill pause 2024-01-01_2024-03-31',
    );
  addStartCommand(command);
  addStatusCommand(command);
  addAddCommand(command);
  addSignalCommands(command);
  return command;
}

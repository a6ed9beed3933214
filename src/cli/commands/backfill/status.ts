import type { Command } from 'commander';
import { loadConfig } from '../../../config/config';
import { EXIT, runAction } from '../../runAction';
import { printJson, withClient } from '../../temporalCommand';
import { formatProgress } from './formatProgress';
import { readProgress } from './temporal';

/** `libreport backfill status <id>`: a backfill's progress. */
export function addStatusCommand(command: Command): void {
  command
    .command('status <id>')
    .description("Show a backfill's progress: days pending, running, done, skipped and failed (with reasons)")
    .option('--json', 'print the progress as JSON')
    .addHelpText('after', '\nExample:\n  libreport backfill status 2024-01-01_2024-03-31 --json')
    .action(
      runAction(async (id: string, options: { json?: boolean }) => {
        const config = loadConfig();
        return withClient(config, async (client) => {
          const current = await readProgress(client, id);
          if (options.json) printJson(current);
          else process.stdout.write(formatProgress(current));
          return EXIT.ok;
        });
      }),
    );
}

import type { Command } from 'commander';
import { loadConfig } from '../../../config/config';
import { cancel, pause, resume } from '../../../workflows/backfill';
import { EXIT, runAction } from '../../runAction';
import { withClient } from '../../temporalCommand';
import { runningBackfill } from './temporal';

/** `libreport backfill pause|resume|cancel <id>`: signal a running backfill. */
export function addSignalCommands(command: Command): void {
  const signals = [
    ['pause', 'Start no new day until resumed (running days finish)', pause, 'paused'],
    ['resume', 'Resume a paused backfill', resume, 'resumed'],
    [
      'cancel',
      'Cancel running days and drop pending ones; the backfill ends "cancelled"',
      cancel,
      'cancelling',
    ],
  ] as const;
  for (const [name, description, signal, done] of signals) {
    command
      .command(`${name} <id>`)
      .description(description)
      .addHelpText('after', `\nExample:\n  libreport backfill ${name} 2024-01-01_2024-03-31`)
      .action(
        runAction(async (id: string) => {
          const config = loadConfig();
          return withClient(config, async (client) => {
            const handle = await runningBackfill(client, id);
            await handle.signal(signal);
            process.stdout.write(`backfill ${id}: ${done}\n`);
            return EXIT.ok;
          });
        }),
      );
  }
}

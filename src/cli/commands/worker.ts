import { Command } from 'commander';
import { loadConfig } from '../../config/config';
import { runWorker } from '../../worker/runWorker';
import { runAction } from '../runAction';

export function workerCommand(): Command {
  return new Command('worker')
    .description('Run a worker that executes libreport workflows and activities until Ctrl-C')
    .addHelpText(
      'after',
      '\nStart as many as you like, on one host or many: they share the task queue (TEMPORAL_TASK_QUEUE)\n' +
        "and split a day's scan segments between them.\n\nExample:\n  libreport worker",
    )
    .action(
      runAction(async () => {
        const config = loadConfig();
        const controller = new AbortController();
        for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => controller.abort());
        await runWorker(config, {
          signal: controller.signal,
          defaultLogLevel: 'info',
          onReady: () =>
            process.stderr.write(
              `worker polling task queue "${config.temporal.taskQueue}" on ${config.temporal.address}\n`,
            ),
        });
      }),
    );
}

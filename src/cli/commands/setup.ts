import { Command } from 'commander';
import { loadConfig } from '../../config/config';
import { runSetup, type StepReport } from '../../setup/runSetup';
import { EXIT, runAction } from '../runAction';
import { printJson } from '../temporalCommand';

const MARK: Record<StepReport['status'], string> = {
  unchanged: 'ok     ',
  changed: 'done   ',
  warning: 'WARNING',
  skipped: 'skipped',
  failed: 'FAILED ',
};

/** `libreport setup`: prepares a Temporal namespace, the stores and the Schedule; safe on every deploy. */
export function setupCommand(): Command {
  return new Command('setup')
    .description(
      'Prepare everything the daily report needs, idempotently (run it on every deploy): register the search\n' +
        'attributes, create the warehouse schemas, locally the DynamoDB table and RDS tables, and create or\n' +
        'update the daily Schedule and the weekly sweep Schedule',
    )
    .option('--json', 'print the steps as JSON')
    .addHelpText(
      'after',
      '\nExit code 0 when every step is done or was already (a search-attribute permission missing is a warning:\n' +
        'runs go on without them), 1 when a step failed. Workers do not need setup to have run.\n' +
        '\nExamples:\n  libreport setup\n  libreport setup --json',
    )
    .action(
      runAction(async (options: { json?: boolean }) => {
        const config = loadConfig();
        const reports = await runSetup(config, undefined, (r) => {
          if (!options.json) process.stdout.write(`${MARK[r.status]} ${r.step.padEnd(18)} ${r.detail}\n`);
        });
        const ok = reports.every((r) => r.status !== 'failed');
        if (options.json) printJson({ ok, steps: reports });
        return ok ? EXIT.ok : EXIT.failed;
      }),
    );
}

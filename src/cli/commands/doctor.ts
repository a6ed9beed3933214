import { Command } from 'commander';
import { loadConfig } from '../../config/config';
import { DOCTOR_CHECKS } from '../../doctor/checks';
import { createDoctorContext } from '../../doctor/context';
import { formatReport, runChecks } from '../../doctor/runChecks';
import { EXIT, runAction } from '../runAction';
import { printJson } from '../temporalCommand';

/** `libreport doctor`: a preflight of everything a daily run touches, one line each with a fix. */
export function doctorCommand(): Command {
  return new Command('doctor')
    .description(
      'Check everything the daily report needs: Temporal and its search attributes, the DynamoDB table and\n' +
        'index, the warehouse (reachable, writable, its tables), the staging bucket, RDS, SES, the report archive',
    )
    .option('--json', 'print the checks as JSON')
    .addHelpText(
      'after',
      '\nExit code 0 when every check passes (or does not apply here), 1 otherwise.\n' +
        '\nExamples:\n  libreport doctor\n  libreport doctor --json | jq \'.checks[] | select(.status == "fail")\'',
    )
    .action(
      runAction(async (options: { json?: boolean }) => {
        const context = createDoctorContext(loadConfig());
        try {
          const reports = await runChecks(DOCTOR_CHECKS, context);
          const ok = reports.every((r) => r.status !== 'fail');
          if (options.json) printJson({ ok, checks: reports });
          else process.stdout.write(`${reports.map(formatReport).join('\n')}\n`);
          return ok ? EXIT.ok : EXIT.failed;
        } finally {
          await context.close();
        }
      }),
    );
}

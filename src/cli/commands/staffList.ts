import { Command } from 'commander';
import { pgRds } from '../../adapters/rds/pgRds';
import { createPgPool } from '../../adapters/warehouse/pgWarehouse';
import { loadConfig } from '../../config/config';
import { listRecipients } from '../../staff/staffDirectory';
import { EXIT, runAction } from '../runAction';

/** `libreport staff list [--json]`: the active staff, who receive the report. */
export function staffListCommand(): Command {
  return new Command('list')
    .description('List who receives the report: the active members of the staff directory, by address')
    .option('--json', 'print the list as one JSON document on stdout')
    .addHelpText(
      'after',
      '\nThe daily report and notices go to exactly these addresses (the same query the send uses).\n' +
        'Deactivated members are counted, not listed.\n\n' +
        'Examples:\n  libreport staff list\n  libreport staff list --json',
    )
    .action(
      runAction(async (options: { json?: boolean }) => {
        const config = loadConfig();
        const rds = pgRds(createPgPool(config.rds.url, { max: 1 }));
        try {
          const { recipients, inactive } = await listRecipients(rds);
          if (options.json) {
            process.stdout.write(`${JSON.stringify({ recipients, inactive }, null, 2)}\n`);
            return EXIT.ok;
          }
          const width = Math.max(5, ...recipients.map((r) => r.email.length));
          const lines = recipients.map((r) => `${r.email.padEnd(width)}  ${r.name}  ${r.department}`);
          lines.push(
            `${recipients.length} ${recipients.length === 1 ? 'person receives' : 'people receive'} the report` +
              (inactive > 0 ? `; ${inactive} inactive not listed` : '') +
              '.',
          );
          process.stdout.write(`${lines.join('\n')}\n`);
          return EXIT.ok;
        } finally {
          await rds.close();
        }
      }),
    );
}

import { Command } from 'commander';
import { loadConfig } from '../../config/config';
import { stackDown, stackStatus, stackUp, type StackPartStatus, type StackStatus } from '../../stack';
import { EXIT, runAction } from '../runAction';

interface JsonOption {
  readonly json?: boolean;
}

/** `libreport stack up|down|status`: the local stand-ins for Temporal, DynamoDB, SES and PostgreSQL. */
export function stackCommand(): Command {
  const stack = new Command('stack')
    .description(
      'Start, stop or inspect the local stack: Temporal dev server, DynamoDB (dynalite), SES stand-in, PostgreSQL',
    )
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  libreport stack up              start what is not running (reuses what is), then show where it all is\n' +
        '  libreport stack status --json   machine-readable status\n' +
        '  libreport stack down            stop what "stack up" started (never the machine\'s PostgreSQL)\n' +
        '\nData, pid files and logs live under LIBREPORT_DATA_DIR (default .data/).',
    );

  stack
    .command('up')
    .description('Start the local stand-ins that are not running yet and wait until each answers')
    .option('--json', 'print the resulting status as JSON')
    .addHelpText(
      'after',
      '\nTemporal, dynalite and the SES stand-in run detached and outlive this command; PostgreSQL is the\n' +
        "machine's own server (started with pg_ctlcluster when installed but stopped). The databases named by\n" +
        'WAREHOUSE_URL and RDS_URL are created when missing. The first run may build the Temporal CLI with Go.',
    )
    .action(
      runAction(async (options: JsonOption) => {
        const status = await stackUp(loadConfig(), (line) => process.stderr.write(`${line}\n`));
        printStatus(status, options);
      }),
    );

  stack
    .command('status')
    .description('Show what answers at each endpoint and which parts libreport started')
    .option('--json', 'print the status as JSON')
    .addHelpText('after', '\nExit code 0 when every part answers, 1 otherwise.')
    .action(
      runAction(async (options: JsonOption) => {
        const status = await stackStatus(loadConfig());
        printStatus(status, options);
        return status.parts.every((part) => part.running) ? EXIT.ok : EXIT.failed;
      }),
    );

  stack
    .command('down')
    .description('Stop the stand-ins "stack up" started (found by pid file); leaves everything else alone')
    .action(
      runAction(async () => {
        const results = await stackDown(loadConfig());
        for (const result of results) {
          process.stdout.write(
            result.stoppedPid === undefined
              ? `${result.name}: not started by libreport, left alone\n`
              : `${result.name}: stopped (pid ${result.stoppedPid})\n`,
          );
        }
      }),
    );

  return stack;
}

function printStatus(status: StackStatus, options: JsonOption): void {
  if (options.json) {
    process.stdout.write(`${JSON.stringify(status, null, 2)}\n`);
    return;
  }
  process.stdout.write(formatStatusTable(status));
}

/** The status as a small aligned table for people. */
export function formatStatusTable(status: StackStatus): string {
  const header = ['PART', 'STATE', 'ENDPOINT', 'DETAILS'];
  const rows = status.parts.map((part) => [part.name, stateOf(part), part.endpoint, detailsOf(part)]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const note =
    status.env === 'aws' ? '\n(LIBREPORT_ENV=aws: jobs use AWS; these are the local stand-ins)\n' : '';
  return [line(header), ...rows.map(line)].join('\n') + `\n${note}`;
}

function stateOf(part: StackPartStatus): string {
  if (!part.running) return 'down';
  return part.managed ? `up (pid ${part.pid})` : 'up';
}

function detailsOf(part: StackPartStatus): string {
  return [part.uiUrl && `ui ${part.uiUrl}`, part.table && `table ${part.table}`, part.note]
    .filter(Boolean)
    .join('; ');
}

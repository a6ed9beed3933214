import { existsSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { EXIT, handleStrayError } from './runAction';
import { commands } from './commands';

/** Loads `.env` (if present) before the config module reads the environment. */
function loadDotEnv(): void {
  if (existsSync('.env')) process.loadEnvFile('.env');
}

export function buildProgram(): Command {
  const program = new Command('libreport')
    .description(
      'Turns a day of library book-search usage into a warehouse, a data mart and an emailed HTML report,\n' +
        'orchestrated by Temporal. Runs against a local stack (default) or AWS (LIBREPORT_ENV=aws).',
    )
    .showHelpAfterError('(run "libreport --help" for usage)')
    .exitOverride();
  for (const command of commands()) program.addCommand(command.exitOverride());
  program.addHelpText(
    'after',
    '\nExamples:\n' +
      '  libreport stack up                 start Temporal, DynamoDB, PostgreSQL and SES locally\n' +
      '  libreport seed --items 10000       generate demo search data\n' +
      '  libreport run --date 2024-05-16    load, report and email one day\n' +
      '\nConfiguration comes from the environment (see .env.example).',
  );
  return program;
}

async function main(argv: string[]): Promise<void> {
  // `libreport … | head` closes the pipe early: that is the reader's choice, not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
  });
  process.on('uncaughtException', handleStrayError);
  process.on('unhandledRejection', handleStrayError);
  loadDotEnv();
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit 0; every other parse failure is a usage error, already printed.
      process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
      return;
    }
    throw error;
  }
}

void main(process.argv);

import { Command } from 'commander';
import { staffImportCommand } from './staffImport';
import { staffListCommand } from './staffList';

/** `libreport staff import|list`: the directory of who receives the report (RDS table `staff`). */
export function staffCommand(): Command {
  return (
    new Command('staff')
      .description(
        'The staff directory: who receives the report. Import HR’s spreadsheet, list the recipients',
      )
      // Parse errors and --help end in a CommanderError that main.ts turns into an exit code (2 or 0); commander
      // copies no such setting into a command added whole, so each subcommand gets it here.
      .exitOverride()
      .addCommand(staffImportCommand().exitOverride())
      .addCommand(staffListCommand().exitOverride())
      .addHelpText(
        'after',
        '\nExamples:\n' +
          '  libreport staff import staff.csv --dry-run   show what the file would change\n' +
          '  libreport staff import staff.csv             apply it\n' +
          '  libreport staff list                         who receives the report',
      )
  );
}

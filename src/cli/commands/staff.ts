import { Command } from 'commander';
import { staffImportCommand } from './staffImport';
import { staffListCommand } from './staffList';

/** `libreport staff import|list`: the directory of who receives the report (RDS table `staff`). */
export function staffCommand(): Command {
  return new Command('staff')
    .description('The staff directory: who receives the report. Import HR’s spreadsheet, list the recipients')
    .addCommand(staffImportCommand())
    .addCommand(staffListCommand())
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  libreport staff import staff.csv --dry-run   show what the file would change\n' +
        '  libreport staff import staff.csv             apply it\n' +
        '  libreport staff list                         who receives the report',
    );
}

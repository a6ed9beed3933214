import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Command } from 'commander';
import { pgRds } from '../../adapters/rds/pgRds';
import { createPgPool } from '../../adapters/warehouse/pgWarehouse';
import { loadConfig } from '../../config/config';
import { UserInputError } from '../../errors';
import { decodeStaffFile, type StaffFileEncoding } from '../../staff/decodeStaffFile';
import { parseStaffCsv, type BadStaffRow, type ParsedStaffFile } from '../../staff/parseStaffCsv';
import { applyStaffFile } from '../../staff/staffDirectory';
import type { StaffDiff } from '../../staff/staffDiff';
import { EXIT, runAction } from '../runAction';

/** `libreport staff import FILE.csv [--dry-run] [--json]`. */
export function staffImportCommand(): Command {
  return new Command('import')
    .description(
      'Make the staff directory match HR’s spreadsheet (CSV): add new people, update names and departments, ' +
        'reactivate returning people and deactivate those not in the file, in one transaction',
    )
    .argument('<file>', 'the CSV file: UTF-8 (with or without BOM) or Excel’s Korean CSV (CP949/EUC-KR)')
    .option('--dry-run', 'print what would change and change nothing')
    .option('--json', 'print the result as one JSON document on stdout')
    .addHelpText(
      'after',
      '\nThe header row names the columns, in Korean or English: 이름/name, 이메일/email, 부서/department\n' +
        '(other columns are ignored). People are matched by email address, without case. Someone missing from\n' +
        'the file is deactivated, never deleted, so the delivery ledger keeps naming them; listed again later,\n' +
        'they are reactivated. Every row is checked first: with any bad row (a malformed address, a missing\n' +
        'name, an address listed twice) the rows are listed with their line numbers and nothing is applied\n' +
        '(exit code 2).\n\n' +
        'Examples:\n' +
        '  libreport staff import 직원명단.csv --dry-run\n' +
        '  libreport staff import staff.csv --json',
    )
    .action(
      runAction(async (file: string, options: { dryRun?: boolean; json?: boolean }) => {
        const config = loadConfig();
        const name = path.basename(file);
        const { text, encoding } = decodeStaffFile(await readStaffFile(file), name);
        const parsed = parseStaffCsv(text, name);
        if (parsed.badRows.length > 0) return reportBadRows(name, encoding, parsed.badRows, options.json);
        if (parsed.people.length === 0) {
          throw new UserInputError(`${name} lists nobody; refusing to deactivate the whole staff directory`);
        }
        const rds = pgRds(createPgPool(config.rds.url, { max: 1 }));
        try {
          const diff = await applyStaffFile(rds, parsed.people, { dryRun: options.dryRun === true });
          const summary = { file: name, encoding, dryRun: options.dryRun === true, parsed, diff };
          process.stdout.write(
            options.json ? `${JSON.stringify(asJson(summary), null, 2)}\n` : describe(summary),
          );
          return EXIT.ok;
        } finally {
          await rds.close();
        }
      }),
    );
}

async function readStaffFile(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserInputError(
      code === 'ENOENT' ? `${file} does not exist` : `cannot read ${file} (${code ?? String(error)})`,
    );
  }
}

function reportBadRows(
  name: string,
  encoding: StaffFileEncoding,
  badRows: readonly BadStaffRow[],
  json: boolean | undefined,
): number {
  if (json) {
    process.stdout.write(`${JSON.stringify({ file: name, encoding, applied: false, badRows }, null, 2)}\n`);
  }
  const rows = badRows.length === 1 ? '1 bad row' : `${badRows.length} bad rows`;
  process.stderr.write(
    `libreport: ${name} has ${rows}, so nothing was applied; fix them and import again:\n` +
      badRows.map((row) => `  line ${row.line}: ${row.reason}\n`).join(''),
  );
  return EXIT.usage;
}

interface ImportSummary {
  readonly file: string;
  readonly encoding: StaffFileEncoding;
  readonly dryRun: boolean;
  readonly parsed: ParsedStaffFile;
  readonly diff: StaffDiff;
}

function asJson(s: ImportSummary) {
  const person = ({ name, email, department }: { name: string; email: string; department: string }) => ({
    name,
    email,
    department,
  });
  return {
    file: s.file,
    encoding: s.encoding,
    dryRun: s.dryRun,
    applied: !s.dryRun,
    people: s.parsed.people.length,
    columns: s.parsed.columns,
    ignoredColumns: s.parsed.ignoredColumns,
    added: s.diff.added.map(person),
    changed: s.diff.changed.map((c) => ({ ...person(c), before: c.before })),
    reactivated: s.diff.reactivated.map((c) => ({ ...person(c), before: c.before })),
    deactivated: s.diff.deactivated.map(person),
    unchanged: s.diff.unchanged,
  };
}

function describe(s: ImportSummary): string {
  const { columns, ignoredColumns, people } = s.parsed;
  const lines = [
    `${s.file}: ${people.length} people, ${s.encoding}, columns ${columns.name}, ${columns.email}, ${columns.department}` +
      (ignoredColumns.length > 0 ? ` (ignored: ${ignoredColumns.join(', ')})` : ''),
  ];
  const who = (p: { name: string; department: string }) => `${p.name}, ${p.department || '-'}`;
  for (const p of s.diff.added) lines.push(`  + added        ${p.email}  ${who(p)}`);
  for (const c of s.diff.changed) {
    const what = [
      c.before.name !== c.name ? `name ${c.before.name} → ${c.name}` : '',
      c.before.department !== c.department
        ? `department ${c.before.department || '-'} → ${c.department || '-'}`
        : '',
    ].filter(Boolean);
    lines.push(`  ~ changed      ${c.email}  ${what.join('; ')}`);
  }
  for (const c of s.diff.reactivated) lines.push(`  ↺ reactivated  ${c.email}  ${who(c)}`);
  for (const p of s.diff.deactivated) lines.push(`  − deactivated  ${p.email}  ${who(p)}`);
  const d = s.diff;
  lines.push(
    `${d.added.length} added, ${d.changed.length} changed, ${d.reactivated.length} reactivated, ` +
      `${d.deactivated.length} deactivated, ${d.unchanged} unchanged.`,
  );
  if (s.dryRun) lines.push('Dry run: nothing was applied; run again without --dry-run to apply.');
  return `${lines.join('\n')}\n`;
}

import Papa from 'papaparse';
import { UserInputError } from '../errors';
import { assertEmailAddress } from '../report/mime';

/** One person as the file lists them, with the line their row starts on (1 = the header). */
export interface StaffEntry {
  readonly line: number;
  readonly name: string;
  readonly email: string;
  readonly department: string;
}

/** A row that cannot be applied, and why. */
export interface BadStaffRow {
  readonly line: number;
  readonly reason: string;
}

export interface ParsedStaffFile {
  readonly people: readonly StaffEntry[];
  readonly badRows: readonly BadStaffRow[];
  /** The header cells taken as name, email and department, as the file spells them. */
  readonly columns: { readonly name: string; readonly email: string; readonly department: string };
  /** Header cells libreport does not use (employee numbers, titles …), as the file spells them. */
  readonly ignoredColumns: readonly string[];
}

type Field = 'name' | 'email' | 'department';

/**
 * Header names HR spreadsheets use, in Korean or English, compared without case, spaces, dots, dashes or
 * underscores ("E-mail", "e_mail" and "이메일 주소" all match).
 */
const HEADERS: Readonly<Record<Field, readonly string[]>> = {
  name: ['name', 'fullname', 'staffname', '이름', '성명', '직원명', '사원명', '성함'],
  email: [
    'email',
    'emailaddress',
    'mail',
    '이메일',
    '이메일주소',
    '메일',
    '메일주소',
    '전자우편',
    '전자메일',
  ],
  department: ['department', 'dept', 'team', 'division', '부서', '부서명', '소속', '소속부서', '팀'],
};

/** How an error names a missing column. */
const SHOWN: Readonly<Record<Field, string>> = {
  name: 'name/이름',
  email: 'email/이메일',
  department: 'department/부서',
};

function normalise(header: string): string {
  return header
    .normalize('NFC')
    .toLowerCase()
    .replace(/[\s._-]/g, '');
}

/**
 * Reads the staff CSV (quoted fields, commas or tabs) into people and bad rows. The first non-empty row is the
 * header and must name the three columns. Every row is checked: an address the mailer would refuse, an address
 * with no dot in its domain, a missing name, or an address listed twice (each listing is a bad row) makes the
 * row bad; the caller applies nothing while any row is bad. Header problems are one `UserInputError`.
 */
export function parseStaffCsv(text: string, fileName: string): ParsedStaffFile {
  const records: { cells: string[]; line: number }[] = [];
  const lines = lineCounter(text);
  let previousEnd = 0;
  Papa.parse<string[]>(text, {
    skipEmptyLines: 'greedy',
    step: (result) => {
      let start = previousEnd;
      while (start < text.length && /\s/.test(text[start]!)) start++;
      previousEnd = result.meta.cursor;
      records.push({ cells: result.data, line: lines(start) });
    },
  });
  const [header, ...rows] = records;
  if (header === undefined)
    throw new UserInputError(`${fileName} is empty; it needs a header row and one row per person`);

  const columns = mapHeader(header.cells, fileName);
  const people: StaffEntry[] = [];
  const badRows: BadStaffRow[] = [];
  const firstLineOf = new Map<string, number>();
  const duplicated = new Set<string>();
  for (const { cells, line } of rows) {
    const cell = (field: Field) => (cells[columns.index[field]] ?? '').normalize('NFC').trim();
    const email = cell('email');
    const name = cell('name');
    const problem = addressProblem(email) ?? (name === '' ? 'the name is empty' : undefined);
    if (problem !== undefined) {
      badRows.push({ line, reason: problem });
      continue;
    }
    const key = email.toLowerCase();
    const first = firstLineOf.get(key);
    if (first !== undefined) {
      badRows.push({ line, reason: `${email} is listed twice (also on line ${first})` });
      duplicated.add(key);
      continue;
    }
    firstLineOf.set(key, line);
    people.push({ line, name, email, department: cell('department') });
  }
  // The first listing of a duplicated address is as wrong as the second: which of the two is meant?
  for (const person of people.filter((p) => duplicated.has(p.email.toLowerCase()))) {
    badRows.push({ line: person.line, reason: `${person.email} is listed more than once` });
  }
  return {
    people: people.filter((p) => !duplicated.has(p.email.toLowerCase())),
    badRows: badRows.sort((a, b) => a.line - b.line),
    columns: columns.spelled,
    ignoredColumns: header.cells.filter((_, i) => !Object.values(columns.index).includes(i)).filter(Boolean),
  };
}

function mapHeader(
  cells: readonly string[],
  fileName: string,
): { index: Record<Field, number>; spelled: Record<Field, string> } {
  const index: Partial<Record<Field, number>> = {};
  cells.forEach((cell, i) => {
    const normalised = normalise(cell);
    for (const field of Object.keys(HEADERS) as Field[]) {
      if (!HEADERS[field].includes(normalised)) continue;
      if (index[field] !== undefined) {
        throw new UserInputError(
          `${fileName}: both "${cells[index[field]]}" and "${cell}" look like the ${field} column; keep one`,
        );
      }
      index[field] = i;
    }
  });
  const missing = (Object.keys(HEADERS) as Field[]).filter((field) => index[field] === undefined);
  if (missing.length > 0) {
    throw new UserInputError(
      `${fileName}: the header row has no ${missing.map((field) => SHOWN[field]).join(', ')} column ` +
        `(it has: ${cells.join(', ')})`,
    );
  }
  const full = index as Record<Field, number>;
  return {
    index: full,
    spelled: { name: cells[full.name]!, email: cells[full.email]!, department: cells[full.department]! },
  };
}

/** Why `email` cannot receive the report, or undefined when it can. */
function addressProblem(email: string): string | undefined {
  if (email === '') return 'the email address is empty';
  try {
    assertEmailAddress(email);
  } catch {
    return `"${email}" is not an email address (local@domain, ASCII, no spaces or commas)`;
  }
  // The mailer accepts "kim@localhost"; a staff directory never means it, but "kim@libreport" is a common slip.
  if (!email.split('@')[1]!.includes('.')) return `"${email}" has no dot in its domain`;
  return undefined;
}

/** The line of each offset asked for in increasing order, counting each newline once. */
function lineCounter(text: string): (offset: number) => number {
  let line = 1;
  let counted = 0;
  return (offset) => {
    for (; counted < offset; counted++) if (text.charCodeAt(counted) === 10) line++;
    return line;
  };
}

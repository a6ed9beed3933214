import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import { Client } from 'pg';
import { staffCommand } from '../../src/cli/commands/staff';
import { ensureRdsSchema, pgRds } from '../../src/adapters/rds/pgRds';
import { createPgPool, pgWarehouse } from '../../src/adapters/warehouse/pgWarehouse';
import type { Warehouse } from '../../src/adapters/warehouse/port';
import { ensureWarehouseSchema } from '../../src/activities/warehouseSchema';
import { freshDatabase, type TestDatabase } from '../support/databases';
import { applyStaffFile } from '../../src/staff/staffDirectory';
import { runCli } from './runCli';

/**
 * `libreport staff import|list` against a real PostgreSQL RDS database, with files as HR's spreadsheets write
 * them: UTF-8 with and without a BOM, Excel's Korean CSV (CP949), Korean or English headers.
 */

let rdsDb: TestDatabase;
let dwDb: TestDatabase;
let rds: Client;
let warehouse: Warehouse;
let dir: string;

/** The directory before each test: two active members and one who left. */
const BASELINE = [
  ['김민지', 'minji.kim@libreport.local', '열람팀', true],
  ['이준호', 'junho.lee@libreport.local', '정보팀', true],
  ['박서연', 'seoyeon.park@libreport.local', '운영팀', false],
] as const;

beforeAll(async () => {
  [rdsDb, dwDb] = await Promise.all([freshDatabase('staff_rds'), freshDatabase('staff_dw')]);
  const setup = pgRds(createPgPool(rdsDb.url, { max: 1 }));
  await ensureRdsSchema(setup);
  await setup.close();
  rds = new Client({ connectionString: rdsDb.url });
  await rds.connect();
  warehouse = pgWarehouse(createPgPool(dwDb.url, { max: 2 }));
  await ensureWarehouseSchema(warehouse);
  dir = mkdtempSync(path.join(os.tmpdir(), 'libreport-staff-'));
});

afterAll(async () => {
  await rds?.end();
  await warehouse?.close();
  await Promise.allSettled([rdsDb?.drop(), dwDb?.drop()]);
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(async () => {
  await rds.query('TRUNCATE staff RESTART IDENTITY');
  for (const [name, email, department, active] of BASELINE) {
    await rds.query('INSERT INTO staff (name, email, department, active) VALUES ($1, $2, $3, $4)', [
      name,
      email,
      department,
      active,
    ]);
  }
});

function file(name: string, content: string | Buffer): string {
  const target = path.join(dir, name);
  writeFileSync(target, content);
  return target;
}

function staff(args: string[], env: NodeJS.ProcessEnv = {}) {
  return runCli([staffCommand()], ['staff', ...args], { RDS_URL: rdsDb.url, ...env });
}

async function directory(): Promise<string[]> {
  const { rows } = await rds.query<{ line: string }>(
    `SELECT name || ' ' || email || ' ' || department || ' ' || CASE WHEN active THEN 'active' ELSE 'inactive' END AS line
     FROM staff ORDER BY email`,
  );
  return rows.map((r) => r.line);
}

const UNCHANGED_DIRECTORY = [
  '이준호 junho.lee@libreport.local 정보팀 active',
  '김민지 minji.kim@libreport.local 열람팀 active',
  '박서연 seoyeon.park@libreport.local 운영팀 inactive',
];

describe('staff import', () => {
  it('reads UTF-8 without a BOM, English headers and quoted fields, and applies added, changed and removed', async () => {
    const csv = file(
      'staff.csv',
      'Name,Email,Department\n' +
        '김민지,minji.kim@libreport.local,"열람팀, 2층"\n' +
        '"최지우",jiwoo.choi@libreport.local,"디지털\n자료팀"\n',
    );
    const result = await staff(['import', csv]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain('staff.csv: 2 people, utf-8, columns Name, Email, Department');
    expect(result.stdout).toMatch(/\+ added +jiwoo\.choi@libreport\.local {2}최지우, 디지털\n자료팀/);
    expect(result.stdout).toMatch(
      /~ changed +minji\.kim@libreport\.local {2}department 열람팀 → 열람팀, 2층/,
    );
    expect(result.stdout).toMatch(/− deactivated +junho\.lee@libreport\.local/);
    expect(result.stdout).toContain('1 added, 1 changed, 0 reactivated, 1 deactivated, 0 unchanged.');
    expect(await directory()).toEqual([
      '최지우 jiwoo.choi@libreport.local 디지털\n자료팀 active',
      '이준호 junho.lee@libreport.local 정보팀 inactive',
      '김민지 minji.kim@libreport.local 열람팀, 2층 active',
      '박서연 seoyeon.park@libreport.local 운영팀 inactive',
    ]);
  });

  it('reads UTF-8 with a BOM and Korean headers, ignores other columns, and reactivates a returning person', async () => {
    const csv = file(
      'bom.csv',
      '\uFEFF사번,이름,이메일 주소,부서\r\n' +
        '1001,김민지,Minji.Kim@libreport.local,열람팀\r\n' +
        '1002,이준호,junho.lee@libreport.local,정보팀\r\n' +
        '1003,박서연,seoyeon.park@libreport.local,기획팀\r\n',
    );
    const result = await staff(['import', csv]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      '3 people, utf-8 with BOM, columns 이름, 이메일 주소, 부서 (ignored: 사번)',
    );
    expect(result.stdout).toMatch(/↺ reactivated +seoyeon\.park@libreport\.local {2}박서연, 기획팀/);
    // An address is matched without case; the directory's spelling stays.
    expect(result.stdout).toContain('0 added, 0 changed, 1 reactivated, 0 deactivated, 2 unchanged.');
    expect(await directory()).toEqual([
      '이준호 junho.lee@libreport.local 정보팀 active',
      '김민지 minji.kim@libreport.local 열람팀 active',
      '박서연 seoyeon.park@libreport.local 기획팀 active',
    ]);
  });

  it('decodes Excel’s Korean CSV (CP949), including syllables EUC-KR lacks', async () => {
    // 똠 and 햏 are CP949 extensions (lead bytes below 0xA1): ICU's EUC-KR decoder turns them into control characters.
    const text =
      '이름,이메일,부서\r\n김민지,minji.kim@libreport.local,열람팀\r\n이준호,junho.lee@libreport.local,정보팀\r\n홍똠햏,ddom@libreport.local,자료팀\r\n';
    const bytes = iconv.encode(text, 'cp949');
    expect(new TextDecoder('euc-kr').decode(bytes)).not.toContain('똠');
    const result = await staff(['import', file('excel.csv', bytes), '--json']);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json).toMatchObject({
      encoding: 'cp949',
      applied: true,
      added: [{ name: '홍똠햏', email: 'ddom@libreport.local', department: '자료팀' }],
      unchanged: 2,
    });
    expect(await directory()).toContain('홍똠햏 ddom@libreport.local 자료팀 active');
  });

  it('lists every bad row with its line number, a bad address and a duplicate, and applies nothing', async () => {
    const csv = file(
      'bad.csv',
      'name,email,department\n' +
        '김민지,minji.kim@libreport.local,열람팀\n' +
        '\n' +
        '최지우,jiwoo.choi@,디지털자료팀\n' +
        '"이, 준호",junho.lee@libreport.local,정보팀\n' +
        '정하늘,MINJI.KIM@libreport.local,열람팀\n' +
        ',nobody@libreport.local,x\n' +
        '한별,han byeol@libreport.local,x\n',
    );
    const result = await staff(['import', csv]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.split('\n')).toEqual([
      'libreport: bad.csv has 5 bad rows, so nothing was applied; fix them and import again:',
      '  line 2: minji.kim@libreport.local is listed more than once',
      '  line 4: "jiwoo.choi@" is not an email address (local@domain, ASCII, no spaces or commas)',
      '  line 6: MINJI.KIM@libreport.local is listed twice (also on line 2)',
      '  line 7: the name is empty',
      '  line 8: "han byeol@libreport.local" is not an email address (local@domain, ASCII, no spaces or commas)',
    ]);
    expect(await directory()).toEqual(UNCHANGED_DIRECTORY);

    const json = await staff(['import', csv, '--json']);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({
      applied: false,
      badRows: expect.arrayContaining([{ line: 4, reason: expect.any(String) }]),
    });
  });

  it('--dry-run prints the diff and applies nothing', async () => {
    const csv = file('dry.csv', 'name,email,department\n새사람,new.person@libreport.local,열람팀\n');
    const result = await staff(['import', csv, '--dry-run']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/\+ added +new\.person@libreport\.local/);
    expect(result.stdout).toMatch(/− deactivated +minji\.kim@libreport\.local/);
    expect(result.stdout).toContain('Dry run: nothing was applied');
    expect(await directory()).toEqual(UNCHANGED_DIRECTORY);
    const json = JSON.parse((await staff(['import', csv, '--dry-run', '--json'])).stdout);
    expect(json).toMatchObject({
      dryRun: true,
      applied: false,
      added: [{ email: 'new.person@libreport.local' }],
    });
    expect(await directory()).toEqual(UNCHANGED_DIRECTORY);
  });

  it.each(['pg', 'redshift-data'])(
    'deactivates a removed person, who keeps their delivery ledger rows and stops receiving (WAREHOUSE_KIND=%s)',
    async (kind) => {
      await warehouse.query('DELETE FROM dw.delivery_ledger');
      await warehouse.query(
        `INSERT INTO dw.delivery_ledger (report_date, kind, delivery_key, recipient, status, message_id, updated_at)
         VALUES ('2024-05-16', 'report', 'daily', 'junho.lee@libreport.local', 'sent', 'm-1', now()),
                ('2024-05-17', 'report', 'daily', 'junho.lee@libreport.local', 'sent', 'm-2', now())`,
      );
      const csv = file('left.csv', 'name,email,department\n김민지,minji.kim@libreport.local,열람팀\n');
      // The directory lives in RDS whichever warehouse is configured: the import runs the same with either.
      const result = await staff(['import', csv], { WAREHOUSE_KIND: kind });
      expect(result.code).toBe(0);
      expect(await directory()).toContain('이준호 junho.lee@libreport.local 정보팀 inactive');
      const ledger = await warehouse.query<{ n: string }>(
        `SELECT COUNT(*) AS n FROM dw.delivery_ledger WHERE recipient = 'junho.lee@libreport.local'`,
      );
      expect(Number(ledger[0]!.n)).toBe(2);
      const list = await staff(['list', '--json']);
      expect(JSON.parse(list.stdout)).toEqual({
        recipients: [{ name: '김민지', email: 'minji.kim@libreport.local', department: '열람팀' }],
        inactive: 2,
      });
    },
  );

  it.each([
    [
      Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x0a, 0xff, 0xff, 0x00, 0x81]),
      /is neither UTF-8 nor CP949\/EUC-KR text; in Excel save it as "CSV UTF-8/,
    ],
    ['email,department\na@b.kr,x\n', /the header row has no name\/이름 column \(it has: email, department\)/],
    ['이름,이메일,부서\n', /lists nobody; refusing to deactivate the whole staff directory/],
    ['', /is empty; it needs a header row/],
  ])('refuses an unusable file with one line: %s', async (content, message) => {
    const result = await staff(['import', file('unusable.csv', content)]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.split('\n')).toHaveLength(1);
    expect(await directory()).toEqual(UNCHANGED_DIRECTORY);
  });

  it('names a file that does not exist', async () => {
    const result = await staff(['import', path.join(dir, 'missing.csv')]);
    expect(result).toMatchObject({ code: 2, stderr: expect.stringMatching(/missing\.csv does not exist$/) });
  });
});

describe('two imports at once', () => {
  it('take turns: the directory ends as one file says, never a mix of both', async () => {
    const person = (line: number, name: string, email: string) => ({
      line,
      name,
      email,
      department: '열람팀',
    });
    const a = [person(2, '김민지', 'minji.kim@libreport.local'), person(3, '가나', 'a.new@libreport.local')];
    const b = [person(2, '김민지', 'minji.kim@libreport.local'), person(3, '다라', 'b.new@libreport.local')];
    const writers = [pgRds(createPgPool(rdsDb.url, { max: 1 })), pgRds(createPgPool(rdsDb.url, { max: 1 }))];
    try {
      await Promise.all([
        applyStaffFile(writers[0]!, a, { dryRun: false }),
        applyStaffFile(writers[1]!, b, { dryRun: false }),
      ]);
    } finally {
      await Promise.all(writers.map((w) => w.close()));
    }
    const { rows } = await rds.query<{ email: string }>(
      'SELECT email FROM staff WHERE active ORDER BY email',
    );
    const active = rows.map((r) => r.email);
    // Without the lock both would read the same directory and both add their newcomer.
    expect([a.map((p) => p.email).sort(), b.map((p) => p.email).sort()]).toContainEqual(active);
  });
});

describe('staff list', () => {
  it('shows who receives the report: the active members, by address', async () => {
    const result = await staff(['list']);
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')).toEqual([
      'junho.lee@libreport.local  이준호  정보팀',
      'minji.kim@libreport.local  김민지  열람팀',
      '2 people receive the report; 1 inactive not listed.',
      '',
    ]);
  });
});

describe('--help', () => {
  it('explains the file, the matching and the safety of an import, with examples', async () => {
    const help = await staff(['import', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('이름/name, 이메일/email, 부서/department');
    expect(help.stdout).toContain('deactivated, never deleted');
    expect(help.stdout).toContain('--dry-run');
    expect(help.stdout).toContain('Examples:');
    const list = await staff(['list', '--help']);
    expect(list.stdout).toContain('who receives the report');
    const group = await staff(['--help']);
    expect(group.stdout).toMatch(/import \[options\] <file>/);
  });
});

import path from 'node:path';
import iconv from 'iconv-lite';
import { UNCHANGED_DIRECTORY, useStaffDirectory } from './staffDirectory';

/**
 * `libreport staff import` against a real PostgreSQL RDS database, with files as HR's spreadsheets write them:
 * UTF-8 with and without a BOM, Excel's Korean CSV (CP949), Korean or English headers.
 */
const sd = useStaffDirectory('staff_import');
const { directory, file, staff } = sd;

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
      await sd.warehouse.query('DELETE FROM dw.delivery_ledger');
      await sd.warehouse.query(
        `INSERT INTO dw.delivery_ledger (report_date, kind, delivery_key, recipient, status, message_id, updated_at)
         VALUES ('2024-05-16', 'report', 'daily', 'junho.lee@libreport.local', 'sent', 'm-1', now()),
                ('2024-05-17', 'report', 'daily', 'junho.lee@libreport.local', 'sent', 'm-2', now())`,
      );
      const csv = file('left.csv', 'name,email,department\n김민지,minji.kim@libreport.local,열람팀\n');
      // The directory lives in RDS whichever warehouse is configured: the import runs the same with either.
      const result = await staff(['import', csv], { WAREHOUSE_KIND: kind });
      expect(result.code).toBe(0);
      expect(await directory()).toContain('이준호 junho.lee@libreport.local 정보팀 inactive');
      const ledger = await sd.warehouse.query<{ n: string }>(
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
    const result = await staff(['import', path.join(sd.dir, 'missing.csv')]);
    expect(result).toMatchObject({ code: 2, stderr: expect.stringMatching(/missing\.csv does not exist$/) });
  });
});

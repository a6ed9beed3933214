import { freshDatabase } from '../support/databases';
import { useStaffDirectory } from './staffDirectory';

/** `libreport staff list`: who receives the report. */
const sd = useStaffDirectory('staff_list');
const { staff } = sd;

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

  it('says what fixes a missing staff table, in one line: the RDS database to use, or importing the directory', async () => {
    const empty = await freshDatabase('staff_missing');
    try {
      const result = await staff(['list'], { RDS_URL: empty.url });
      expect(result.code).toBe(1);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(/relation "staff" does not exist/);
      expect(result.stderr).toMatch(/point RDS_URL at the database whose staff table lists them/);
      expect(result.stderr).toMatch(/libreport staff import FILE\.csv/);
      expect(result.stderr).not.toMatch(/daily job/);
    } finally {
      await empty.drop();
    }
  });
});

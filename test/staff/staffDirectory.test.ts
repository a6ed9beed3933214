import { pgRds } from '../../src/adapters/rds/pgRds';
import { createPgPool } from '../../src/adapters/warehouse/pgWarehouse';
import { applyStaffFile } from '../../src/staff/staffDirectory';
import { useStaffDirectory } from '../cli/staffDirectory';

/** applyStaffFile: imports that run at once take turns on the directory. */
const sd = useStaffDirectory('staff_concurrent');

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
    const writers = [
      pgRds(createPgPool(sd.rdsDb.url, { max: 1 })),
      pgRds(createPgPool(sd.rdsDb.url, { max: 1 })),
    ];
    try {
      await Promise.all([
        applyStaffFile(writers[0]!, a, { dryRun: false }),
        applyStaffFile(writers[1]!, b, { dryRun: false }),
      ]);
    } finally {
      await Promise.all(writers.map((w) => w.close()));
    }
    const { rows } = await sd.rds.query<{ email: string }>(
      'SELECT email FROM staff WHERE active ORDER BY email',
    );
    const active = rows.map((r) => r.email);
    // Without the lock both would read the same directory and both add their newcomer.
    expect([a.map((p) => p.email).sort(), b.map((p) => p.email).sort()]).toContainEqual(active);
  });
});

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
});

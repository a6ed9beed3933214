import { useStaffDirectory } from './staffDirectory';

/** `libreport staff --help` and its subcommands' help. */
const sd = useStaffDirectory('staff_help');
const { staff } = sd;

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

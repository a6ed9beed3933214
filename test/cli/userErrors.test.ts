import { spawnSync } from 'node:child_process';
import path from 'node:path';

const CLI = path.resolve(__dirname, '../../bin/libreport');

/** Runs the real CLI as a user would; the environment is the test's plus `env`. */
function libreport(args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(CLI, args, {
    encoding: 'utf8',
    env: { ...process.env, LIBREPORT_ENV: 'local', ...env },
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr.trim() };
}

describe('the CLI on bad input: one clear line, no stack trace, exit code 2', () => {
  it.each([
    [['run', '--date', '2024-13-01'], /--date "2024-13-01" is not a calendar day; write it as YYYY-MM-DD/],
    [['run', '--date', 'yesterday'], /is not a calendar day/],
    [['run', '--date', '2999-01-01'], /--date 2999-01-01 is not over yet in Asia\/Seoul; the latest day that can be reported is \d{4}-\d{2}-\d{2}/],
    [['resend', '--date', '2999-01-01'], /is not over yet/],
    [['run'], /required option '-d, --date <YYYY-MM-DD>' not specified/],
    [['run', '--date', '2024-05-01', '--segments', '0'], /--segments.*whole number of 1 or more/],
    [['run', '--date', '2024-05-01', '--bogus'], /unknown option '--bogus'/],
    [['launch'], /unknown command 'launch'/],
  ])('libreport %j', (args, message) => {
    const { code, stderr } = libreport(args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('names a malformed configuration variable', () => {
    const { code, stderr } = libreport(['run', '--date', '2024-05-01'], { DYNAMODB_SEGMENTS: 'many' });
    expect(code).toBe(2);
    expect(stderr.split('\n')[0]).toMatch(/^libreport: DYNAMODB_SEGMENTS .*"many"/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('says how to start an unreachable service, with exit code 1', () => {
    const { code, stderr } = libreport(['run', '--date', '2024-05-01', '--no-worker'], {
      TEMPORAL_ADDRESS: '127.0.0.1:1',
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(/Temporal is not reachable at 127\.0\.0\.1:1 .*libreport stack up/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('teaches with --help: every command is listed with an example', () => {
    const { code, stdout } = libreport(['--help']);
    expect(code).toBe(0);
    for (const command of [
      'start',
      'run',
      'resend',
      'status',
      'schedule',
      'backfill',
      'seed',
      'worker',
      'stack',
    ])
      expect(stdout).toMatch(new RegExp(`\\n  ${command}\\b`));
    expect(libreport(['run', '--help']).stdout).toContain('Examples:');
  });
});

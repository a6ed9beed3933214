import { Command, CommanderError } from 'commander';
import { EXIT } from '../../src/cli/runAction';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs CLI commands in this process, as `src/cli/main.ts` would: the environment is the test's plus
 * `env`, output is captured, a commander parse error is exit code 2. In-process so the suite stays fast.
 */
export async function runCli(
  commands: Command[],
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<CliResult> {
  const program = new Command('libreport').exitOverride();
  for (const command of commands) program.addCommand(command.exitOverride());
  const saved = { ...process.env };
  Object.assign(process.env, env);
  let stdout = '';
  let stderr = '';
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  process.exitCode = undefined;
  let code: number;
  try {
    await program.parseAsync(args, { from: 'user' });
    code = Number(process.exitCode ?? EXIT.ok);
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    code = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  } finally {
    out.mockRestore();
    err.mockRestore();
    process.env = saved;
    process.exitCode = undefined;
  }
  return { code, stdout, stderr: stderr.trim() };
}

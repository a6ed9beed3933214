import type { ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';

/** A benchmark child's exit code with its whole stdout and the last 4,000 characters of its stderr. */
export async function childOutput(
  child: ChildProcessByStdio<null, Readable, Readable>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr = (stderr + text).slice(-4000)));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (exitCode) => resolve(exitCode));
  });
  return { code, stdout, stderr };
}

import { isUserFacing } from '../errors';

/** Exit codes every command uses: 0 success, 1 the job failed, 2 a usage or input error. */
export const EXIT = Object.freeze({ ok: 0, failed: 1, usage: 2 });

/**
 * Wraps a command action: a user's mistake or an unreachable service becomes one line on stderr and
 * an exit code; only a genuine bug prints a stack trace (with LIBREPORT_DEBUG=1 for anything else).
 */
export function runAction<A extends unknown[]>(action: (...args: A) => Promise<number | void>) {
  return async (...args: A): Promise<void> => {
    try {
      const code = await action(...args);
      process.exitCode = code ?? EXIT.ok;
    } catch (error) {
      process.exitCode = reportError(error);
    }
  };
}

export function reportError(error: unknown): number {
  const debug = process.env.LIBREPORT_DEBUG === '1';
  if (isUserFacing(error)) {
    process.stderr.write(`libreport: ${error.message}\n`);
    if (debug) process.stderr.write(`${error.stack}\n`);
    return error.retryable ? EXIT.failed : usageLike(error) ? EXIT.usage : EXIT.failed;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`libreport: ${message}\n`);
  if (debug || !(error instanceof Error)) process.stderr.write(`${(error as Error)?.stack ?? ''}\n`);
  else process.stderr.write('(set LIBREPORT_DEBUG=1 for the stack trace)\n');
  return EXIT.failed;
}

function usageLike(error: Error): boolean {
  return error.name === 'UserInputError' || error.name === 'ConfigError';
}

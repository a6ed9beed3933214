import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure, TimeoutFailure } from '@temporalio/common';
import { isUserFacing } from '../errors';

/** Exit codes every command uses: 0 success, 1 the job failed, 2 a usage or input error. */
export const EXIT = Object.freeze({ ok: 0, failed: 1, usage: 2 });

/**
 * Wraps a command action: a user's mistake or an unreachable service becomes one line on stderr and
 * an exit code; only a genuine bug prints a stack trace (with LIBREPORT_DEBUG=1 for anything else).
 */
export function runAction<A extends unknown[]>(action: (...args: A) => Promise<number | void>) {
  return async (...args: A): Promise<void> => {
    running++;
    try {
      const code = await action(...args);
      process.exitCode = code ?? EXIT.ok;
    } catch (error) {
      process.exitCode = reportError(error);
    } finally {
      running--;
      if (running === 0) {
        clearTimeout(strayExit);
        strayExit = undefined;
      }
    }
  };
}

/** Actions under way in this process (the CLI runs one; tests may run several in turn). */
let running = 0;
let strayExit: NodeJS.Timeout | undefined;
/** How long an action may still take to reach its answer after an error escaped elsewhere in the process. */
export const STRAY_ERROR_GRACE_MS = 5_000;

/**
 * For `process.on('uncaughtException' | 'unhandledRejection')`: an error thrown from a timer or an event
 * outside the command's own awaited work (a library's retry firing after a connection closed, say) is logged
 * as one line and does not decide the outcome. The command's answer does: once it has one, the exit code is
 * its own. If the command is still working, it gets a grace period to finish (its result stands), after which
 * the process exits with code 1 rather than run on in an unknown state.
 */
export function handleStrayError(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  const when = running > 0 ? 'while the command was still working' : 'after the command had finished';
  process.stderr.write(`libreport: ignored an error raised ${when}: ${message}\n`);
  if (process.env.LIBREPORT_DEBUG === '1' && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  if (running > 0 && strayExit === undefined) {
    strayExit = setTimeout(() => process.exit(EXIT.failed), STRAY_ERROR_GRACE_MS);
    strayExit.unref();
  }
}

export function reportError(error: unknown): number {
  const debug = process.env.LIBREPORT_DEBUG === '1';
  const failure = workflowFailureCause(error);
  if (failure) {
    // A failed run: say what failed inside it, not just that it failed.
    process.stderr.write(`libreport: ${failure.message}\n`);
    if (debug) process.stderr.write(`${(error as Error).stack}\n`);
    return failure.type === 'UserInputError' || failure.type === 'ConfigError' ? EXIT.usage : EXIT.failed;
  }
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

/** The innermost application failure behind a failed workflow (through activity and child failures). */
function workflowFailureCause(error: unknown): { message: string; type?: string } | undefined {
  if (!(error instanceof WorkflowFailedError)) return undefined;
  let cause: unknown = error.cause;
  let innermost: { message: string; type?: string } | undefined;
  while (cause instanceof Error) {
    if (cause instanceof ApplicationFailure)
      innermost = { message: cause.message, type: cause.type ?? undefined };
    else if (cause instanceof TimeoutFailure) innermost = { message: `a stage timed out (${cause.message})` };
    cause = cause.cause;
  }
  return innermost ?? { message: error.cause?.message ?? error.message };
}

function usageLike(error: Error): boolean {
  return error.name === 'UserInputError' || error.name === 'ConfigError';
}

import type { CheckResult, DoctorCheck, DoctorContext } from './check';

export interface CheckReport extends CheckResult {
  readonly check: string;
}

/** A check that has not answered by then fails, so one hung service cannot hide the other checks' results. */
export const CHECK_TIMEOUT_MS = 15_000;

/** Runs checks in order; a check that throws fails with the error's first line instead of ending the run. */
export async function runChecks(
  checks: readonly DoctorCheck[],
  context: DoctorContext,
  timeoutMs = CHECK_TIMEOUT_MS,
): Promise<CheckReport[]> {
  const reports: CheckReport[] = [];
  for (const check of checks) {
    let result: CheckResult;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<CheckResult>((resolve) => {
      timer = setTimeout(
        () =>
          resolve({
            status: 'fail',
            detail: `no answer within ${timeoutMs / 1000} s`,
            fix: 'check that the service answers (and that the address in its variable is right)',
          }),
        timeoutMs,
      );
      timer.unref();
    });
    try {
      result = await Promise.race([check.run(context), timedOut]);
    } catch (error) {
      const message = (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).split(
        '\n',
      )[0]!;
      result = { status: 'fail', detail: message, fix: 'see the message; LIBREPORT_DEBUG=1 shows more' };
    } finally {
      clearTimeout(timer);
    }
    reports.push({ check: check.name, ...result });
  }
  return reports;
}

/** One line per check for people: status, name, what was found, and for a failure what to do. */
export function formatReport(report: CheckReport): string {
  const mark = { pass: 'PASS', fail: 'FAIL', skip: 'SKIP' }[report.status];
  const fix = report.fix && report.status === 'fail' ? ` — fix: ${report.fix}` : '';
  return `${mark}  ${report.check.padEnd(19)} ${report.detail}${fix}`;
}

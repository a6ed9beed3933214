import type { CheckResult, DoctorCheck, DoctorContext } from './check';

export interface CheckReport extends CheckResult {
  readonly check: string;
}

/** Runs checks in order; a check that throws fails with the error's first line instead of ending the run. */
export async function runChecks(
  checks: readonly DoctorCheck[],
  context: DoctorContext,
): Promise<CheckReport[]> {
  const reports: CheckReport[] = [];
  for (const check of checks) {
    let result: CheckResult;
    try {
      result = await check.run(context);
    } catch (error) {
      const message = (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).split(
        '\n',
      )[0]!;
      result = { status: 'fail', detail: message, fix: 'see the message; LIBREPORT_DEBUG=1 shows more' };
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

import { ApplicationFailure, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { Audience, DeliveryResult } from '../activities/delivery';
import { isReportDate } from '../domain/reportDate';
import { NON_RETRYABLE_ERROR_TYPES } from '../errors';

export interface ResendReportInput {
  readonly date: string;
  /** Who gets it; default every active staff member. */
  readonly audience?: Audience;
}

/** A resend's id: one per request, so each explicit resend sends exactly once more and is recorded as its own delivery. */
export const resendReportId = (date: string, requestId: string) => `resend-report-${date}-${requestId}`;

const mailing = proxyActivities<Activities>({
  startToCloseTimeout: '30m',
  heartbeatTimeout: '1m',
  scheduleToCloseTimeout: '2h',
  retry: {
    initialInterval: '1s',
    maximumInterval: '30s',
    nonRetryableErrorTypes: [...NON_RETRYABLE_ERROR_TYPES],
  },
});

/**
 * Sends a day's report again (to every active staff member, to those whose send is `unknown`, or to one
 * address), from the mart as it is now. The delivery key is this run's id, so retries of this resend never
 * send twice and the ledger shows the resend apart.
 */
export async function resendReport(input: ResendReportInput): Promise<DeliveryResult> {
  if (!isReportDate(input.date)) {
    throw ApplicationFailure.nonRetryable(
      `date "${input.date}" is not a calendar day written YYYY-MM-DD`,
      'UserInputError',
    );
  }
  const exists = await mailing.dayIsLoaded({ date: input.date });
  if (!exists) {
    throw ApplicationFailure.nonRetryable(
      `there is no report for ${input.date} yet; run "libreport run --date ${input.date}" first`,
      'UserInputError',
    );
  }
  return mailing.sendReport({
    date: input.date,
    kind: 'report',
    deliveryKey: `resend:${workflowInfo().workflowId}`,
    audience: input.audience,
  });
}

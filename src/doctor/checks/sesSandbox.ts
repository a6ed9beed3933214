import { GetSendQuotaCommand } from '@aws-sdk/client-ses';
import { fail, pass, skip, type DoctorCheck } from '../check';

/** A sandboxed account may send 200 messages a day, and only to verified addresses. */
const SANDBOX_DAILY_QUOTA = 200;

/** On AWS: the SES account is out of the sandbox, so the report reaches unverified staff addresses. */
export const sesSandbox: DoctorCheck = {
  name: 'ses account',
  async run({ config, ses }) {
    if (config.env === 'local') return skip('local SES stand-in: no sandbox');
    const quota = await ses().send(new GetSendQuotaCommand({}));
    const max = quota.Max24HourSend ?? 0;
    return max > SANDBOX_DAILY_QUOTA
      ? pass(`out of the sandbox (${max} messages / 24 h)`)
      : fail(
          `the account in ${config.ses.region} looks sandboxed (${max} messages / 24 h): only verified recipients get mail`,
          'request production access for SES in this region',
        );
  },
};

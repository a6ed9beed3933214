import {
  GetAccountSendingEnabledCommand,
  GetIdentityVerificationAttributesCommand,
} from '@aws-sdk/client-ses';
import { fail, pass, type DoctorCheck } from '../check';

/**
 * On AWS: sending is enabled on the account and the sender (its address or its domain) is verified. Locally
 * the SES stand-in accepts any sender, so only that it answers is checked.
 */
export const sesSender: DoctorCheck = {
  name: 'ses sender',
  async run({ config, ses }) {
    const { sender, endpoint } = config.ses;
    if (config.env === 'local') {
      const answered = await fetch(new URL('/health-check', endpoint ?? 'http://127.0.0.1:8005'))
        .then((r) => r.ok)
        .catch(() => false);
      return answered
        ? pass(`SES stand-in at ${endpoint} (accepts any sender; verification is checked on AWS only)`)
        : fail(
            `the SES stand-in does not answer at ${endpoint}`,
            'start it with "libreport stack up" or set SES_ENDPOINT',
          );
    }
    const enabled = await ses().send(new GetAccountSendingEnabledCommand({}));
    if (!enabled.Enabled)
      return fail(
        `sending is paused on the SES account in ${config.ses.region}`,
        'resolve the pause in the SES console',
      );
    const domain = sender.split('@')[1] ?? sender;
    const out = await ses().send(
      new GetIdentityVerificationAttributesCommand({ Identities: [sender, domain] }),
    );
    const verified = [sender, domain].find(
      (id) => out.VerificationAttributes?.[id]?.VerificationStatus === 'Success',
    );
    return verified
      ? pass(`${sender} may send (${verified} verified in ${config.ses.region})`)
      : fail(
          `${sender} is not verified in ${config.ses.region} (neither the address nor ${domain})`,
          'verify the address or its domain in SES, or set REPORT_SENDER',
        );
  },
};

import { SESClient, SendRawEmailCommand } from '@aws-sdk/client-ses';
import { mockClient } from 'aws-sdk-client-mock';
import { MessageRejectedError } from '../../../src/adapters/mailer/port';
import { sesMailer } from '../../../src/adapters/mailer/sesMailer';
import { DeliveryRefusedError, ServiceUnavailableError } from '../../../src/errors';

/** An SES service error as the SDK raises it: a name, a message and the HTTP status it came with. */
function sesError(name: string, message: string, httpStatusCode?: number): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode } });
}

describe('sesMailer: each SES failure is decided once as sent-maybe, not sent, or rejected address', () => {
  const ses = mockClient(SESClient);
  const mailer = sesMailer(new SESClient({ region: 'ap-northeast-2' }), { region: 'ap-northeast-2' });
  const send = () =>
    mailer.sendRaw({ from: 'report@x.example', destinations: ['a@x.example'], raw: Buffer.from('m') });

  afterEach(() => ses.reset());

  it('returns the SES message id', async () => {
    ses.on(SendRawEmailCommand).resolves({ MessageId: 'ses-1' });
    await expect(send()).resolves.toEqual({ messageId: 'ses-1' });
  });

  it.each([
    [
      sesError('MessageRejected', 'Email address is not verified: report@x.example', 400),
      DeliveryRefusedError,
    ],
    [sesError('AccessDenied', 'not authorized to perform ses:SendRawEmail', 403), DeliveryRefusedError],
    [sesError('AccountSendingPausedException', 'sending paused', 400), DeliveryRefusedError],
    [sesError('InvalidParameterValue', 'Missing final @domain', 400), MessageRejectedError],
    [sesError('MessageRejected', 'Address blacklisted', 400), MessageRejectedError],
    [sesError('Throttling', 'Maximum sending rate exceeded', 400), ServiceUnavailableError],
    [sesError('CredentialsProviderError', 'Could not load credentials'), ServiceUnavailableError],
    [sesError('SomethingElse', 'bad request', 400), DeliveryRefusedError],
  ])('%s becomes %p', async (error, kind) => {
    ses.on(SendRawEmailCommand).rejects(error);
    await expect(send()).rejects.toBeInstanceOf(kind);
  });

  it('leaves a server error ambiguous (SES may have taken the message)', async () => {
    ses.on(SendRawEmailCommand).rejects(sesError('InternalFailure', 'oops', 500));
    const failure = await send().catch((e: unknown) => e);
    expect(failure).not.toBeInstanceOf(ServiceUnavailableError);
    expect(failure).not.toBeInstanceOf(DeliveryRefusedError);
  });
});

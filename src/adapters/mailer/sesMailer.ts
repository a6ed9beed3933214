import { SESClient, SendRawEmailCommand } from '@aws-sdk/client-ses';
import { ServiceUnavailableError } from '../../errors';
import { MAX_RECIPIENTS_PER_MESSAGE, MessageRejectedError, type Mailer, type RawEmail } from './port';

export interface SesSettings {
  readonly endpoint?: string;
  readonly region: string;
}

export function createSesClient(settings: SesSettings): SESClient {
  const local = settings.endpoint !== undefined && /\/\/(localhost|127\.|\[::1\])/.test(settings.endpoint);
  return new SESClient({
    region: settings.region,
    endpoint: settings.endpoint,
    // The local stand-in accepts any credentials; AWS uses the default chain.
    ...(local ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
    maxAttempts: 4,
  });
}

/** SES v1 `SendRawEmail`, which carries inline (CID) images. */
export function sesMailer(client: SESClient, settings: SesSettings): Mailer {
  const where = settings.endpoint ?? `SES ${settings.region}`;
  return {
    async sendRaw(email: RawEmail) {
      if (email.destinations.length === 0 || email.destinations.length > MAX_RECIPIENTS_PER_MESSAGE) {
        throw new RangeError(
          `a message needs 1 to ${MAX_RECIPIENTS_PER_MESSAGE} recipients, got ${email.destinations.length}`,
        );
      }
      try {
        const out = await client.send(
          new SendRawEmailCommand({
            Source: email.from,
            Destinations: [...email.destinations],
            RawMessage: { Data: email.raw },
          }),
        );
        return { messageId: out.MessageId ?? '' };
      } catch (error) {
        const e = error as { name?: string; code?: string; message?: string };
        if (
          e.name === 'MessageRejected' ||
          e.name === 'MailFromDomainNotVerifiedException' ||
          e.name === 'InvalidParameterValue'
        ) {
          throw new MessageRejectedError(`SES rejected the message: ${e.message}`);
        }
        // Throttling and a refused connection both mean SES did not take the message: safe to retry.
        if (
          e.name === 'Throttling' ||
          e.name === 'ThrottlingException' ||
          /Maximum sending rate/i.test(e.message ?? '')
        ) {
          throw new ServiceUnavailableError(`SES is throttling sends (${e.message}); it will be retried`);
        }
        // The SDK wraps a socket error it does not recognise as an Error (one from another realm, as under Jest's
        // sandbox) into a new Error whose message alone keeps the code.
        const code = e.code ?? /\b(ECONNREFUSED|ENOTFOUND)\b/.exec(e.message ?? '')?.[1];
        if (code === 'ECONNREFUSED' || code === 'ENOTFOUND') {
          throw new ServiceUnavailableError(
            `SES is not reachable at ${where} (${code}); start it with "libreport stack up" or set SES_ENDPOINT`,
          );
        }
        throw error;
      }
    },
  };
}

import { SESClient, SendRawEmailCommand } from '@aws-sdk/client-ses';
import { DeliveryRefusedError, ServiceUnavailableError } from '../../errors';
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
    // One attempt per call: a retry of a send SES may already have accepted must go through the delivery
    // ledger (the activity's retry), never through the SDK underneath it.
    maxAttempts: 1,
    requestHandler: { requestTimeout: 30_000, connectionTimeout: 5_000 },
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
        const e = error as {
          name?: string;
          code?: string;
          message?: string;
          $metadata?: { httpStatusCode?: number };
        };
        // The sender itself is refused (unverified identity, sending paused, no permission): no address
        // is at fault and nothing was sent, so every recipient stays unsent and the run fails loudly.
        if (
          /not verified|sending paused|not authorized/i.test(e.message ?? '') ||
          e.name === 'AccessDenied' ||
          e.name === 'AccessDeniedException' ||
          e.name === 'AccountSendingPausedException' ||
          e.name === 'ConfigurationSetDoesNotExist'
        ) {
          throw new DeliveryRefusedError(
            `SES refuses to send from ${email.from}: ${e.message}; fix the sender or its permissions`,
          );
        }
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
        if (e.name === 'CredentialsProviderError') {
          throw new ServiceUnavailableError(
            `no AWS credentials for SES (${e.message}); the request was not sent`,
          );
        }
        // Any other answer below 500 is SES refusing the request as a whole: nothing was sent.
        const status = e.$metadata?.httpStatusCode;
        if (status !== undefined && status < 500) {
          throw new DeliveryRefusedError(`SES refused the request (${status} ${e.name}): ${e.message}`);
        }
        throw error;
      }
    },
  };
}

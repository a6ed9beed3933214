/** Sending one raw MIME message. SES (AWS or the local stand-in) implements it. */
export interface RawEmail {
  readonly from: string;
  /** Envelope recipients: everyone who receives this message (To, Cc and Bcc together). At most 50. */
  readonly destinations: readonly string[];
  /** The complete MIME message (headers and body). */
  readonly raw: Buffer;
}

export interface Mailer {
  /** Returns the provider's message id. Throws `RecipientRejectedError` when SES refuses the message. */
  sendRaw(email: RawEmail): Promise<{ messageId: string }>;
}

/** SES's limit on recipients of one message. */
export const MAX_RECIPIENTS_PER_MESSAGE = 50;

/** SES refused this message (bad address, unverified sender): retrying the same message will not help. */
export class MessageRejectedError extends Error {
  override readonly name = 'MessageRejectedError';
}

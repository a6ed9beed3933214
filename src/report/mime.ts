import { createHash, randomUUID } from 'node:crypto';
import { LibreportError } from '../errors';
import type { InlineImage } from './types';

/**
 * An address, header name or header value that would change the message's headers (CR/LF, a second
 * `@`, a comma that adds a recipient). Refused, never cleaned up: it means bad input upstream.
 */
export class UnsafeHeaderError extends LibreportError {
  readonly retryable = false;
}

/** A sender shown with a display name, e.g. `{ name: '도서관 리포트', address: 'report@example.com' }`. */
export interface NamedAddress {
  readonly name: string;
  readonly address: string;
}

/** Everything a report or notice email consists of. */
export interface MimeMessageInput {
  readonly from: string | NamedAddress;
  /** The header To. An empty list writes `undisclosed-recipients:;` (everyone is on the envelope). */
  readonly to: readonly string[];
  /**
   * Never set. Blind copies go only on the SMTP envelope (`RawEmail.destinations`); a Bcc header
   * would show every recipient to everyone.
   */
  readonly bcc?: never;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** PNGs the HTML refers to as `cid:<cid>`. */
  readonly images?: readonly InlineImage[];
  /** `<id@domain>` or `id@domain`; generated from the sender's domain when absent. */
  readonly messageId?: string;
  readonly date: Date;
  /** Extra headers such as `X-Libreport-Date`. Must not repeat the headers built here. */
  readonly headers?: Readonly<Record<string, string>>;
}

const CRLF = '\r\n';
const BASE64_LINE = 76;
/**
 * Raw bytes per RFC 2047 encoded word: 39 bytes → 52 base64 chars, 64 with `=?UTF-8?B?…?=`, which keeps
 * even the first word, after `Subject: `, within the 78-character line RFC 5322 recommends.
 */
const ENCODED_WORD_BYTES = 39;
const RESERVED_HEADERS = new Set([
  'from',
  'to',
  'cc',
  'bcc',
  'subject',
  'date',
  'message-id',
  'mime-version',
  'content-type',
  'content-transfer-encoding',
  'content-id',
  'content-disposition',
]);
const LINE_BREAK = /[\r\n]/;
// Printable ASCII without the characters that end, group or quote an address in a header.
const ADDRESS_PART = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~.]+$/;
const DOMAIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$/;
const HEADER_NAME = /^[A-Za-z0-9][A-Za-z0-9-]*$/;
const CONTENT_ID = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~.]+@[A-Za-z0-9.-]+$/;
const FILENAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Throws `UnsafeHeaderError` unless `address` is one plain `local@domain` address safe for a header. */
export function assertEmailAddress(address: string): void {
  if (LINE_BREAK.test(address)) throw new UnsafeHeaderError('an email address contains a line break');
  const parts = address.split('@');
  if (parts.length !== 2) throw new UnsafeHeaderError(`"${address}" must contain exactly one @`);
  const [local = '', domain = ''] = parts;
  if (address.length > 254 || !ADDRESS_PART.test(local) || !DOMAIN.test(domain)) {
    throw new UnsafeHeaderError(
      `"${address}" is not a plain email address (local@domain, ASCII, no spaces or commas)`,
    );
  }
}

function assertHeaderValue(name: string, value: string): void {
  // eslint-disable-next-line no-control-regex
  if (LINE_BREAK.test(value) || /[\u0000]/.test(value))
    throw new UnsafeHeaderError(`the ${name} header contains a line break`);
}

function isPlainAscii(text: string): boolean {
  return /^[\x20-\x7e]*$/.test(text);
}

/** RFC 2047 `=?UTF-8?B?…?=` words, folded onto continuation lines; plain ASCII stays readable. */
function encodeHeaderText(text: string): string {
  if (isPlainAscii(text) && text.length <= 900 && !/=\?/.test(text)) return text;
  const words: string[] = [];
  let chunk = '';
  for (const char of text) {
    // Never split a character's UTF-8 bytes across two encoded words.
    if (Buffer.byteLength(chunk + char) > ENCODED_WORD_BYTES) {
      words.push(chunk);
      chunk = '';
    }
    chunk += char;
  }
  if (chunk !== '' || words.length === 0) words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w, 'utf8').toString('base64')}?=`).join(`${CRLF} `);
}

function formatMailbox(from: string | NamedAddress): string {
  if (typeof from === 'string') {
    assertEmailAddress(from);
    return from;
  }
  assertEmailAddress(from.address);
  assertHeaderValue('From', from.name);
  const name = isPlainAscii(from.name)
    ? `"${from.name.replace(/["\\]/g, '\\$&')}"`
    : encodeHeaderText(from.name);
  return `${name}${CRLF} <${from.address}>`;
}

function formatDate(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new UnsafeHeaderError('the message date is not a valid date');
  // toUTCString gives "Wed, 01 May 2024 07:00:00 GMT"; RFC 5322 prefers a numeric zone.
  return date.toUTCString().replace(/GMT$/, '+0000');
}

function formatMessageId(messageId: string | undefined, from: string | NamedAddress): string {
  if (messageId === undefined) {
    const domain = (typeof from === 'string' ? from : from.address).split('@')[1] ?? 'libreport.local';
    return `<${randomUUID()}@${domain}>`;
  }
  const bare = messageId.replace(/^<(.*)>$/, '$1');
  if (LINE_BREAK.test(bare) || !CONTENT_ID.test(bare)) {
    throw new UnsafeHeaderError(`"${messageId}" is not a message id of the form <id@domain>`);
  }
  return `<${bare}>`;
}

function base64Lines(content: Buffer): string {
  const encoded = content.toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < encoded.length; i += BASE64_LINE) lines.push(encoded.slice(i, i + BASE64_LINE));
  return lines.join(CRLF);
}

function textPart(mediaType: 'text/plain' | 'text/html', body: string): string {
  // Text in MIME is canonically CRLF-terminated; base64 keeps long lines and any bytes intact.
  const canonical = body.replace(/\r?\n/g, CRLF);
  return [
    `Content-Type: ${mediaType}; charset=UTF-8`,
    'Content-Transfer-Encoding: base64',
    '',
    base64Lines(Buffer.from(canonical, 'utf8')),
  ].join(CRLF);
}

function imagePart(image: InlineImage): string {
  if (!CONTENT_ID.test(image.cid))
    throw new UnsafeHeaderError(`"${image.cid}" is not a safe Content-ID (id@domain)`);
  if (!FILENAME.test(image.filename))
    throw new UnsafeHeaderError(`"${image.filename}" is not a safe attachment file name`);
  return [
    `Content-Type: image/png; name="${image.filename}"`,
    'Content-Transfer-Encoding: base64',
    `Content-ID: <${image.cid}>`,
    `Content-Disposition: inline; filename="${image.filename}"`,
    '',
    base64Lines(image.png),
  ].join(CRLF);
}

function multipart(boundary: string, parts: readonly string[]): string {
  return parts.map((p) => `--${boundary}${CRLF}${p}${CRLF}`).join('') + `--${boundary}--`;
}

/** Boundaries derived from the content, so the same message always has the same bytes. */
function boundaryFor(kind: string, input: MimeMessageInput): string {
  const hash = createHash('sha256').update(kind).update(input.text).update(input.html);
  for (const image of input.images ?? []) hash.update(image.cid).update(image.png);
  // "=_" can never occur in base64 bodies, so no part can contain the boundary.
  return `=_libreport_${kind}_${hash.digest('hex').slice(0, 24)}`;
}

/**
 * Builds a complete UTF-8 MIME message:
 * `multipart/alternative` (text/plain; `multipart/related` (text/html; inline PNG parts)).
 * Refuses, with `UnsafeHeaderError`, any address or header value that could inject headers.
 */
export function buildMimeMessage(input: MimeMessageInput): Buffer {
  if ((input as { bcc?: unknown }).bcc !== undefined) {
    throw new UnsafeHeaderError('Bcc recipients belong on the envelope only, never in the message headers');
  }
  input.to.forEach(assertEmailAddress);
  assertHeaderValue('Subject', input.subject);
  const headers: string[] = [
    `From: ${formatMailbox(input.from)}`,
    `To: ${input.to.length === 0 ? 'undisclosed-recipients:;' : input.to.join(`,${CRLF} `)}`,
    `Subject: ${encodeHeaderText(input.subject)}`,
    `Date: ${formatDate(input.date)}`,
    `Message-ID: ${formatMessageId(input.messageId, input.from)}`,
    'MIME-Version: 1.0',
  ];
  for (const [name, value] of Object.entries(input.headers ?? {})) {
    if (!HEADER_NAME.test(name)) throw new UnsafeHeaderError(`"${name}" is not a header name`);
    if (RESERVED_HEADERS.has(name.toLowerCase()))
      throw new UnsafeHeaderError(`the ${name} header is set by the message builder`);
    assertHeaderValue(name, value);
    headers.push(`${name}: ${encodeHeaderText(value)}`);
  }

  const images = input.images ?? [];
  const htmlBody = textPart('text/html', input.html);
  const relatedBoundary = boundaryFor('rel', input);
  const htmlWithImages =
    images.length === 0
      ? htmlBody
      : `Content-Type: multipart/related; type="text/html";${CRLF} boundary="${relatedBoundary}"${CRLF}${CRLF}` +
        multipart(relatedBoundary, [htmlBody, ...images.map(imagePart)]);
  const alternativeBoundary = boundaryFor('alt', input);
  headers.push(`Content-Type: multipart/alternative;${CRLF} boundary="${alternativeBoundary}"`);

  const body = multipart(alternativeBoundary, [textPart('text/plain', input.text), htmlWithImages]);
  return Buffer.from(`${headers.join(CRLF)}${CRLF}${CRLF}${body}${CRLF}`, 'utf8');
}

import { simpleParser } from 'mailparser';
import { buildMimeMessage, UnsafeHeaderError, type MimeMessageInput } from '../../src/report/mime';
import { renderReport } from '../../src/report/renderReport';
import { sampleReport } from './fixtures';

async function reportMessage(overrides: Partial<MimeMessageInput> = {}): Promise<MimeMessageInput> {
  const report = await renderReport(sampleReport(), { imageMode: 'cid' });
  return {
    from: { name: '도서관 리포트', address: 'report@libreport.local' },
    to: ['staff@example.com', 'lead@example.com'],
    subject: report.subject,
    text: report.text,
    html: report.html,
    images: report.images,
    messageId: '<report-2024-05-01@libreport.local>',
    date: new Date('2024-05-01T22:00:00Z'),
    headers: { 'X-Libreport-Date': '2024-05-01' },
    ...overrides,
  };
}

describe('buildMimeMessage', () => {
  it('parses back with the subject, both bodies and the inline charts the HTML refers to', async () => {
    const input = await reportMessage();
    const parsed = await simpleParser(buildMimeMessage(input));
    expect(parsed.subject).toBe('일일 앱 사용 결과 (2024-05-01)');
    expect(parsed.from?.value).toEqual([{ name: '도서관 리포트', address: 'report@libreport.local' }]);
    const to = Array.isArray(parsed.to) ? parsed.to : [parsed.to];
    expect(to.flatMap((t) => t?.value.map((v) => v.address))).toEqual([
      'staff@example.com',
      'lead@example.com',
    ]);
    expect(parsed.messageId).toBe('<report-2024-05-01@libreport.local>');
    expect(parsed.date?.toISOString()).toBe('2024-05-01T22:00:00.000Z');
    expect(parsed.headers.get('x-libreport-date')).toBe('2024-05-01');
    expect(parsed.text).toContain('사용자 요청 건수: 1,234건');
    expect(parsed.text?.trimEnd()).toBe(input.text.trimEnd());
    expect(parsed.html).toContain('1,234');
    expect(parsed.html).toContain('혼자 공부하는 파이썬');

    const referenced = Array.from(input.html.matchAll(/src="cid:([^"]+)"/g), (m) => m[1]);
    expect(referenced).toHaveLength(4);
    expect(parsed.attachments.map((a) => a.contentId?.replace(/^<|>$/g, '')).sort()).toEqual(
      [...referenced].sort(),
    );
    for (const attachment of parsed.attachments) {
      expect(attachment.contentType).toBe('image/png');
      expect(attachment.contentDisposition).toBe('inline');
      const original = input.images?.find((i) => `<${i.cid}>` === attachment.contentId);
      expect(original && attachment.content.equals(original.png)).toBe(true);
    }
  });

  it('nests text, HTML and images as multipart/alternative > multipart/related', async () => {
    const raw = buildMimeMessage(await reportMessage()).toString('utf8');
    const top = /^Content-Type: multipart\/alternative;\r\n boundary="([^"]+)"/m.exec(raw);
    const related = /^Content-Type: multipart\/related; type="text\/html";\r\n boundary="([^"]+)"/m.exec(raw);
    expect(top?.[1]).toMatch(/^=_libreport_alt_/);
    expect(related?.[1]).toMatch(/^=_libreport_rel_/);
    const alternatives = raw.split(`--${top?.[1]}`).slice(1, -1);
    expect(alternatives.map((p) => /Content-Type: ([a-z/]+)/.exec(p)?.[1])).toEqual([
      'text/plain',
      'multipart/related',
    ]);
    const relatedParts = raw.split(`--${related?.[1]}`).slice(1, -1);
    expect(relatedParts.map((p) => /Content-Type: ([a-z/]+)/.exec(p)?.[1])).toEqual([
      'text/html',
      ...Array(4).fill('image/png'),
    ]);
    expect(raw.trimEnd().endsWith(`--${top?.[1]}--`)).toBe(true);
  });

  it('is 7-bit ASCII with an RFC 2047 subject, CRLF lines and base64 lines of at most 76 characters', async () => {
    const raw = buildMimeMessage(await reportMessage());
    expect(raw.every((b) => b < 0x80)).toBe(true);
    const text = raw.toString('ascii');
    expect(text).toMatch(/^Subject: =\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=/m);
    expect(text).not.toMatch(/[^\r]\n/);
    const headers = text.slice(0, text.indexOf('\r\n\r\n'));
    expect(headers).not.toMatch(/^Bcc:/im);
    const lines = text.split('\r\n');
    const base64 = lines.filter((l) => /^[A-Za-z0-9+/]+=*$/.test(l));
    expect(base64.length).toBeGreaterThan(100);
    for (const line of base64) expect(line.length).toBeLessThanOrEqual(76);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(78);
  });

  it('folds a long Korean subject into several encoded words that decode back whole', async () => {
    const subject = '일일 앱 사용 결과 '.repeat(8) + '(2024-05-01)';
    const raw = buildMimeMessage(await reportMessage({ subject }));
    expect(raw.toString('ascii')).toMatch(/^Subject: =\?UTF-8\?B\?.*\?=\r\n =\?UTF-8\?B\?/m);
    expect((await simpleParser(raw)).subject).toBe(subject);
  });

  it('gives the same bytes for the same input when the message id is fixed', async () => {
    const input = await reportMessage();
    expect(buildMimeMessage(input).equals(buildMimeMessage(input))).toBe(true);
  });

  it('writes undisclosed recipients when every recipient is on the envelope only', async () => {
    const parsed = await simpleParser(buildMimeMessage(await reportMessage({ to: [], images: [] })));
    expect(parsed.headers.get('to')).toBeDefined();
    expect(parsed.attachments).toHaveLength(0);
    expect(parsed.html).toContain('1,234');
  });

  it('generates a message id in the sender domain when none is given', async () => {
    const parsed = await simpleParser(buildMimeMessage(await reportMessage({ messageId: undefined })));
    expect(parsed.messageId).toMatch(/^<[0-9a-f-]{36}@libreport\.local>$/);
  });
});

describe('header injection', () => {
  const refused: [string, Partial<MimeMessageInput>][] = [
    ['a To address with CRLF', { to: ['staff@example.com\r\nBcc: all@example.com'] }],
    ['a To address with LF', { to: ['staff@example.com\nX-Evil: 1'] }],
    ['a To address with two @', { to: ['a@b@example.com'] }],
    ['a To address with no @', { to: ['staff.example.com'] }],
    ['a To address that adds a recipient', { to: ['staff@example.com, all@example.com'] }],
    ['a To address with a display part', { to: ['Staff <staff@example.com>'] }],
    ['a From address with CRLF', { from: 'report@libreport.local\r\nX: y' }],
    ['a From name with LF', { from: { name: 'Report\nBcc: x@y.z', address: 'report@libreport.local' } }],
    ['a subject with CRLF', { subject: 'Hello\r\nBcc: all@example.com' }],
    ['a subject with a bare LF', { subject: 'Hello\nX-Evil: 1' }],
    [
      'an extra header value with CRLF',
      { headers: { 'X-Libreport-Date': '2024-05-01\r\nBcc: all@example.com' } },
    ],
    ['an extra header name with a colon', { headers: { 'X-A: b\r\nBcc': 'c' } }],
    ['a Bcc extra header', { headers: { Bcc: 'all@example.com' } }],
    ['a Subject extra header', { headers: { subject: 'second subject' } }],
    ['a message id with CRLF', { messageId: '<a@b>\r\nBcc: x@y.z' }],
    [
      'an image Content-ID with CRLF',
      { images: [{ cid: 'a@b\r\nX: y', filename: 'a.png', png: Buffer.from('x') }] },
    ],
    [
      'an image file name with a quote',
      { images: [{ cid: 'a@b', filename: 'a".png', png: Buffer.from('x') }] },
    ],
  ];

  it.each(refused)('refuses %s', async (_name, overrides) => {
    const input = await reportMessage(overrides);
    expect(() => buildMimeMessage(input)).toThrow(UnsafeHeaderError);
  });

  it('refuses a bcc field outright (blind copies go on the envelope only)', async () => {
    const input = { ...(await reportMessage()), bcc: ['all@example.com'] } as unknown as MimeMessageInput;
    expect(() => buildMimeMessage(input)).toThrow(/envelope/);
  });
});

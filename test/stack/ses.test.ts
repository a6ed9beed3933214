import { randomUUID } from 'node:crypto';
import { createSesClient, sesMailer } from '../../src/adapters/mailer/sesMailer';
import { receivedEmails } from '../../src/stack/ses';
import { testStackConfig } from '../support/stack';

describe('SES stand-in through the SES mailer', () => {
  const config = testStackConfig();
  const settings = { endpoint: config.ses.endpoint, region: config.ses.region };

  it('accepts a raw message and lists it at GET /store', async () => {
    const client = createSesClient(settings);
    const subject = `stack smoke ${randomUUID()}`;
    const raw = Buffer.from(
      [
        'From: report@libreport.local',
        'To: reader@example.com',
        `Subject: ${subject}`,
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset=utf-8',
        '',
        'hello from the stack smoke test',
        '',
      ].join('\r\n'),
    );
    const before = Math.floor(Date.now() / 1000);

    const sent = await sesMailer(client, settings).sendRaw({
      from: 'report@libreport.local',
      destinations: ['reader@example.com'],
      raw,
    });
    client.destroy();

    const mine = (await receivedEmails(settings.endpoint!, before)).filter(
      (email) => email.subject === subject,
    );
    expect(mine).toHaveLength(1);
    expect(mine[0]!.messageId).toBe(sent.messageId);
    expect(mine[0]!.destination.to).toEqual(['reader@example.com']);
    expect(mine[0]!.body.text).toContain('hello from the stack smoke test');
  });
});

import { simpleParser } from 'mailparser';
import { UserInputError } from '../../src/errors';
import { buildMimeMessage } from '../../src/report/mime';
import { renderNotice } from '../../src/report/notice';

describe('renderNotice', () => {
  it('writes a Korean "delayed" notice by default, with the reason escaped', () => {
    const notice = renderNotice({
      date: '2024-05-01',
      locale: 'ko',
      reason: 'DynamoDB <export> not ready & retrying',
    });
    expect(notice.subject).toBe('[지연] 일일 앱 사용 결과 (2024-05-01)');
    expect(notice.html).toContain('DynamoDB &lt;export&gt; not ready &amp; retrying');
    expect(notice.html).not.toContain('<export>');
    expect(notice.text).toContain('사유: DynamoDB <export> not ready & retrying');
  });

  it('writes an English anomaly notice', () => {
    const notice = renderNotice({
      date: '2024-05-01',
      locale: 'en',
      kind: 'anomaly',
      reason: 'requests fell 90%',
    });
    expect(notice.subject).toBe('[Anomaly] Daily app usage (2024-05-01)');
    expect(notice.text).toContain('Reason: requests fell 90%');
    expect(notice.html).toContain('An anomaly was detected in the data for 2024-05-01');
  });

  it('keeps a reason with line breaks on one line of the text part and out of the headers', async () => {
    const notice = renderNotice({ date: '2024-05-01', locale: 'ko', reason: 'a\r\nBcc: x@y.z<script>' });
    expect(notice.text).toContain('사유: a Bcc: x@y.z<script>');
    expect(notice.html).not.toMatch(/<script/i);
    const raw = buildMimeMessage({
      from: 'report@libreport.local',
      to: ['ops@example.com'],
      date: new Date(0),
      ...notice,
    });
    const parsed = await simpleParser(raw);
    expect(parsed.subject).toBe(notice.subject);
    expect(parsed.headers.has('bcc')).toBe(false);
  });

  it('refuses a malformed date', () => {
    expect(() => renderNotice({ date: '2024-13-01', locale: 'ko', reason: 'x' })).toThrow(UserInputError);
  });
});

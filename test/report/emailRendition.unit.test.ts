import { emailRenditionKey, parseRendition, serializeRendition } from '../../src/report/emailRendition';
import { renderReport } from '../../src/report/renderReport';
import { sampleReport } from './fixtures';

describe('the stored email rendition', () => {
  it('gives back exactly the email that was rendered, PNG bytes included', async () => {
    const { archiveHtml, ...email } = await renderReport(sampleReport(), {
      imageMode: 'cid',
      withArchive: true,
    });
    expect(archiveHtml).toBeDefined();
    const stored = serializeRendition(email);
    expect(stored).not.toContain('@font-face');
    expect(parseRendition(Buffer.from(stored))).toEqual(email);
  });

  it('is not trusted when it is not one this version wrote (the day is rendered again instead)', () => {
    expect(parseRendition(Buffer.from('not json'))).toBeUndefined();
    expect(
      parseRendition(Buffer.from(JSON.stringify({ version: 2, subject: 's', html: 'h' }))),
    ).toBeUndefined();
    expect(parseRendition(Buffer.from(JSON.stringify({ version: 1, subject: 's' })))).toBeUndefined();
  });

  it('is kept beside the archived page of its day', () => {
    expect(emailRenditionKey('2024-05-01')).toBe('2024-05-01.email.json');
  });
});

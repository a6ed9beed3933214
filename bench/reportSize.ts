import { generateCatalogue } from '../src/seed/catalogue';
import { KEYWORDS } from '../src/seed/data/keywords';
import { SEOUL_LIBRARIES } from '../src/seed/data/libraries';
import { buildMimeMessage } from '../src/report/mime';
import { renderReport } from '../src/report/renderReport';
import type { ReportData } from '../src/report/types';

/**
 * Sizes of a full day's report (50 rows in every ranking, seed vocabulary): the archived HTML with and
 * without its embedded font subset, and the email as sent. `npm run bench:report-size`.
 */
async function main(): Promise<void> {
  const books = generateCatalogue('demo', 2000).books.slice(0, 50);
  const counted = (labels: readonly string[]) => labels.map((label, i) => ({ label, count: 500 - i * 7 }));
  const data: ReportData = {
    date: '2024-05-16',
    locale: 'ko',
    headline: {
      requests: { value: 1500, previousDay: 1420, previousWeek: 1610 },
      failureRatePct: { value: 11.2, previousDay: 12.5, previousWeek: 10.4 },
      booksPerChoosingSearch: { value: 1.32, previousDay: 1.3, previousWeek: 1.35 },
      choosingSharePct: { value: 40.1, previousDay: 39.5, previousWeek: 41.2 },
    },
    // A full "what moved": three risers and three fallers per kind and basis.
    movers: {
      minCount: 10,
      items: (['keyword', 'book', 'library'] as const).flatMap((kind, k) =>
        (['week', 'average'] as const).flatMap((basis) =>
          (['rose', 'fell'] as const).flatMap((direction) =>
            [0, 1, 2].map((i) => ({
              kind,
              basis,
              direction,
              label:
                kind === 'keyword'
                  ? KEYWORDS[i * 7 + k]!.text
                  : kind === 'book'
                    ? books[i * 3 + 1]!.bookname
                    : SEOUL_LIBRARIES[i * 5]!.shortName,
              todayCount: 120 + i * 11,
              basisCount: direction === 'rose' ? 96.4 : 150,
              change: direction === 'rose' ? 23.6 + i : -30 - i,
              newInTop: i === 2 && direction === 'rose',
            })),
          ),
        ),
      ),
    },
    keywords: counted(KEYWORDS.slice(0, 50).map((k) => k.text)),
    books: books.map((b, i) => ({ title: b.bookname, isbn13: b.isbn13, count: 300 - i * 5 })),
    libraries: counted(SEOUL_LIBRARIES.map((l) => l.shortName)),
    failedKeywords: counted(KEYWORDS.slice(-30).map((k) => `${k.text} 원서`)),
    hourly: Array.from({ length: 24 }, (_, hour) => ({ hour, count: 20 + hour * 3 })),
  };
  const archived = await renderReport(data, { imageMode: 'inline-data-uri' });
  const fontCss = /<style type="text\/css">@font-face[^<]*<\/style>/.exec(archived.html)?.[0] ?? '';
  const email = await renderReport(data, { imageMode: 'cid' });
  const mime = buildMimeMessage({
    from: 'report@libreport.local',
    to: ['staff@example.com'],
    subject: email.subject,
    text: email.text,
    html: email.html,
    images: email.images,
    date: new Date('2024-05-16T22:00:00Z'),
  });
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  const archiveBytes = Buffer.byteLength(archived.html);
  const fontBytes = Buffer.byteLength(fontCss);
  console.log(`distinct characters in the archive: ${new Set(archived.html.replace(fontCss, '')).size}`);
  console.log(`archive without font: ${kb(archiveBytes - fontBytes)}`);
  console.log(`archive with font:    ${kb(archiveBytes)} (font rule ${kb(fontBytes)})`);
  // The email carries no font, only the family's name first in each font stack.
  const stackNames = email.html.split('Libreport Noto Sans KR, ').length - 1;
  console.log(
    `email HTML part:      ${kb(Buffer.byteLength(email.html))} (${stackNames} font stacks name the font)`,
  );
  console.log(`email MIME message:   ${kb(mime.length)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

import { readFile } from 'node:fs/promises';
import subsetFont from 'subset-font';
import { MissingResourceError } from '../errors';
import { FONT_MODULE_PATH, REPORT_FONT_FAMILY } from './fontFamily';

let fontBytes: Promise<Buffer> | undefined;

function bundledFont(): Promise<Buffer> {
  fontBytes ??= (async () => {
    let fontPath: string;
    try {
      fontPath = require.resolve(FONT_MODULE_PATH);
    } catch {
      throw new MissingResourceError(`the report font ${FONT_MODULE_PATH} is not installed; run npm ci`);
    }
    return readFile(fontPath);
  })();
  return fontBytes;
}

/**
 * An `@font-face` rule carrying, as a WOFF2 `data:` URI, only the glyphs of `text`'s characters. The
 * whole font is 6 MB; a day's report uses a few hundred distinct characters, a few tens of KB.
 */
export async function embeddedFontFace(text: string): Promise<string> {
  const characters = [...new Set(text)].join('');
  const woff2 = await subsetFont(await bundledFont(), characters, { targetFormat: 'woff2' });
  return (
    `@font-face{font-family:'${REPORT_FONT_FAMILY}';font-style:normal;font-weight:400;` +
    `src:url(data:font/woff2;base64,${woff2.toString('base64')}) format('woff2');}`
  );
}

/** Puts a font-face rule into an HTML document's head (the compiled report always has one). */
export function withFontFace(html: string, fontFace: string): string {
  const at = html.indexOf('</head>');
  if (at < 0) throw new MissingResourceError('the compiled report has no </head> to put its font in');
  return `${html.slice(0, at)}<style type="text/css">${fontFace}</style>${html.slice(at)}`;
}

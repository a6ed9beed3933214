import { GlobalFonts } from '@napi-rs/canvas';
import { MissingResourceError } from '../errors';

/**
 * The family name charts are drawn with. A name of our own, so the bundled Noto Sans KR is used
 * even where a different font of the same public name is installed, and Hangul renders on a
 * machine with no system CJK fonts.
 */
export const CHART_FONT_FAMILY = 'Libreport Noto Sans KR';

const FONT_MODULE_PATH = '@expo-google-fonts/noto-sans-kr/400Regular/NotoSansKR_400Regular.ttf';

let registered = false;

/** Registers the bundled Korean font with the canvas once per process; returns its family name. */
export function ensureChartFont(): string {
  if (registered) return CHART_FONT_FAMILY;
  let fontPath: string;
  try {
    fontPath = require.resolve(FONT_MODULE_PATH);
  } catch {
    throw new MissingResourceError(`the chart font ${FONT_MODULE_PATH} is not installed; run npm ci`);
  }
  if (GlobalFonts.registerFromPath(fontPath, CHART_FONT_FAMILY) === null) {
    throw new MissingResourceError(`the chart font at ${fontPath} could not be loaded`);
  }
  registered = true;
  return CHART_FONT_FAMILY;
}

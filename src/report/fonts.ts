import { GlobalFonts } from '@napi-rs/canvas';
import { MissingResourceError } from '../errors';
import { FONT_MODULE_PATH, REPORT_FONT_FAMILY } from './fontFamily';

/** The family name charts are drawn with (see fontFamily.ts for why it is our own). */
export const CHART_FONT_FAMILY = REPORT_FONT_FAMILY;

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

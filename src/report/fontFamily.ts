/**
 * The family name the bundled Noto Sans KR goes by, in the charts and in the archived report. A name of
 * our own, so the bundled font is used even where a different font of the same public name is installed,
 * and Hangul renders on a machine with no system CJK fonts.
 */
export const REPORT_FONT_FAMILY = 'Libreport Noto Sans KR';

/** The bundled font file, resolved through node_modules. */
export const FONT_MODULE_PATH = '@expo-google-fonts/noto-sans-kr/400Regular/NotoSansKR_400Regular.ttf';

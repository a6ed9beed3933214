import iconv from 'iconv-lite';
import { UserInputError } from '../errors';

/** How a staff file was written: what `staff import` reports back, so a surprise is visible. */
export type StaffFileEncoding = 'utf-8' | 'utf-8 with BOM' | 'utf-16le with BOM' | 'cp949';

const UTF8_BOM = [0xef, 0xbb, 0xbf];
const UTF16LE_BOM = [0xff, 0xfe];

/**
 * Text of a spreadsheet export, in whichever encoding Excel wrote it: "CSV UTF-8" (with a BOM), a plain UTF-8
 * file, "Unicode text" (UTF-16LE with a BOM), or Korean Excel's plain "CSV", which is CP949 (EUC-KR plus the
 * 8,822 Hangul syllables EUC-KR lacks, such as 똠 or 햏). CP949 is decoded with iconv-lite: Node's
 * TextDecoder('euc-kr') follows ICU's EUC-KR and turns CP949's extra syllables into control characters
 * without an error, even with `fatal: true`. Bytes that are neither UTF-8 nor CP949 are refused.
 */
export function decodeStaffFile(
  bytes: Uint8Array,
  name: string,
): { text: string; encoding: StaffFileEncoding } {
  if (startsWith(bytes, UTF8_BOM)) {
    return { text: decodeUtf8(bytes.subarray(UTF8_BOM.length), name), encoding: 'utf-8 with BOM' };
  }
  if (startsWith(bytes, UTF16LE_BOM)) {
    return {
      text: new TextDecoder('utf-16le').decode(bytes.subarray(UTF16LE_BOM.length)),
      encoding: 'utf-16le with BOM',
    };
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    // Not UTF-8: a Korean Excel's plain CSV, or something else.
  }
  const text = iconv.decode(Buffer.from(bytes), 'cp949');
  if (text.includes('\uFFFD')) {
    throw new UserInputError(
      `${name} is neither UTF-8 nor CP949/EUC-KR text; in Excel save it as "CSV UTF-8 (comma delimited)"`,
    );
  }
  return { text, encoding: 'cp949' };
}

function decodeUtf8(bytes: Uint8Array, name: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new UserInputError(
      `${name} starts with a UTF-8 mark but is not UTF-8 throughout; save it again as "CSV UTF-8"`,
    );
  }
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((byte, i) => bytes[i] === byte);
}

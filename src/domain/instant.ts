/**
 * `searched_at` values: ISO-8601 date-times with a UTC offset, normalised to UTC (`…Z`, milliseconds).
 *
 * Without an offset (`2024-05-16T21:00`) JavaScript reads the time in the worker's own zone, so the same item
 * would load as different instants on differently configured hosts: such values are refused.
 */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/** `text` as a normalised UTC instant, or null when it is not an ISO-8601 instant with an offset. */
export function normalizeInstant(text: string): string | null {
  const instant = Date.parse(text);
  return !Number.isNaN(instant) && ISO_INSTANT.test(text) ? new Date(instant).toISOString() : null;
}

/**
 * `normalizeInstant` for the common shapes, read from UTF-8 bytes without making a string of them:
 * `YYYY-MM-DDTHH:MM:SS[.mmm]` then `Z` or `±HH:MM`, every field in its calendar range and the year
 * 1000–9999. Returns undefined for anything else, which `normalizeInstant` must then decide.
 */
export function normalizeInstantBytes(bytes: Uint8Array, start: number, end: number): string | undefined {
  const length = end - start;
  const withMillis = length === 24 || length === 29;
  if (!withMillis && length !== 20 && length !== 25) return undefined;
  if (
    bytes[start + 4] !== DASH ||
    bytes[start + 7] !== DASH ||
    bytes[start + 10] !== LETTER_T ||
    bytes[start + 13] !== COLON ||
    bytes[start + 16] !== COLON ||
    (withMillis && bytes[start + 19] !== DOT)
  ) {
    return undefined;
  }
  // `digits` gives -1 for a non-digit, which every range check below refuses.
  const year = digits(bytes, start, 4);
  const month = digits(bytes, start + 5, 2);
  const day = digits(bytes, start + 8, 2);
  const hour = digits(bytes, start + 11, 2);
  const minute = digits(bytes, start + 14, 2);
  const second = digits(bytes, start + 17, 2);
  const millis = withMillis ? digits(bytes, start + 20, 3) : 0;
  if (year < 1000 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (!inRange(hour, 23) || !inRange(minute, 59) || !inRange(second, 59) || millis < 0) return undefined;

  const zone = start + (withMillis ? 23 : 19);
  let offsetMinutes = 0;
  if (end - zone === 1) {
    if (bytes[zone] !== LETTER_Z) return undefined;
  } else {
    const sign = bytes[zone] === PLUS ? 1 : bytes[zone] === DASH ? -1 : 0;
    const offsetHours = digits(bytes, zone + 1, 2);
    const offsetMins = digits(bytes, zone + 4, 2);
    if (sign === 0 || bytes[zone + 3] !== COLON || !inRange(offsetHours, 23) || !inRange(offsetMins, 59)) {
      return undefined;
    }
    offsetMinutes = sign * (offsetHours * 60 + offsetMins);
  }
  const instant = Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMinutes * 60_000;
  return isoInstant(instant);
}

const DAY_MS = 86_400_000;
/** The last day `isoInstant` wrote (days since 1970-01-01) and its `YYYY-MM-DDT`. A day's items share it. */
let cachedDay = Number.NaN;
let cachedDayText = '';
const TWO_DIGITS = Array.from({ length: 60 }, (_, n) => String(n).padStart(2, '0'));
const THREE_DIGITS = Array.from({ length: 1000 }, (_, n) => String(n).padStart(3, '0'));

/**
 * `new Date(ms).toISOString()` for a whole number of milliseconds, without formatting the date again for each
 * instant of the same day: ~25 ns against ~475 ns (a day's searches are one day's instants, one per item).
 * Years outside 0000–9999, which toISOString writes with six digits and a sign, are left to it.
 */
export function isoInstant(ms: number): string {
  if (!Number.isInteger(ms)) return new Date(ms).toISOString();
  const day = Math.floor(ms / DAY_MS);
  if (day !== cachedDay) {
    const text = new Date(day * DAY_MS).toISOString();
    if (text.length !== 24) return new Date(ms).toISOString();
    cachedDay = day;
    cachedDayText = text.slice(0, 11);
  }
  let rest = ms - day * DAY_MS;
  const hour = Math.floor(rest / 3_600_000);
  rest -= hour * 3_600_000;
  const minute = Math.floor(rest / 60_000);
  rest -= minute * 60_000;
  const second = Math.floor(rest / 1000);
  const millis = rest - second * 1000;
  return `${cachedDayText}${TWO_DIGITS[hour]}:${TWO_DIGITS[minute]}:${TWO_DIGITS[second]}.${THREE_DIGITS[millis]}Z`;
}

const DASH = 0x2d;
const PLUS = 0x2b;
const COLON = 0x3a;
const DOT = 0x2e;
const LETTER_T = 0x54;
const LETTER_Z = 0x5a;

/** The decimal number in `count` bytes at `at`, or -1 when one of them is not a digit. */
function digits(bytes: Uint8Array, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const digit = bytes[i]! - 0x30;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

function inRange(value: number, max: number): boolean {
  return value >= 0 && value <= max;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

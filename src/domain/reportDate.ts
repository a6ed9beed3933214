import { UserInputError } from '../errors';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Validates a calendar day written YYYY-MM-DD (the form DynamoDB items carry in `query_date`). */
export function isReportDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** Parses a user-typed day; one clear line when it is not a real calendar day. */
export function parseReportDate(value: string, what = 'date'): string {
  const trimmed = value.trim();
  if (!isReportDate(trimmed)) {
    throw new UserInputError(
      `${what} "${value}" is not a calendar day; write it as YYYY-MM-DD, e.g. 2024-05-16`,
    );
  }
  return trimmed;
}

/** The day `days` after `date` (negative for before), as YYYY-MM-DD. Pure; safe in workflows. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** The calendar day of `instant` in `timeZone`, as YYYY-MM-DD. */
export function dayInZone(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(instant);
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** Every day from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) days.push(day);
  return days;
}

/** The instant at which `date` begins in `timeZone` (handles offsets and DST by correcting once). */
export function startOfDayInZone(date: string, timeZone: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const utcMidnight = Date.UTC(y, m - 1, d);
  let instant = utcMidnight - zoneOffsetMs(new Date(utcMidnight), timeZone);
  instant = utcMidnight - zoneOffsetMs(new Date(instant), timeZone);
  return new Date(instant);
}

/** How far `timeZone`'s wall clock is ahead of UTC at `instant`. */
function zoneOffsetMs(instant: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(instant);
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return wall - Math.floor(instant.getTime() / 1000) * 1000;
}

/**
 * Refuses a day that is not over yet in `timeZone` (today or later): its numbers would be partial, and a
 * typo would email every employee about a day that has not happened.
 */
export function assertDayIsOver(
  date: string,
  timeZone: string,
  now: Date = new Date(),
  what = 'date',
): string {
  const latest = addDays(dayInZone(now, timeZone), -1);
  if (date > latest) {
    throw new UserInputError(
      `${what} ${date} is not over yet in ${timeZone}; the latest day that can be reported is ${latest}`,
    );
  }
  return date;
}

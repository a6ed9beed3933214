/**
 * Calendar arithmetic in the report's time zone: which day it is, the days a seed covers, and the
 * instant of a wall-clock time on one of those days. Days are plain `YYYY-MM-DD` strings.
 */

const DAY_MS = 86_400_000;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether `value` is a real calendar date written `YYYY-MM-DD`. */
export function isCalendarDate(value: string): boolean {
  const m = DATE_PATTERN.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value;
}

/** The day `offset` days after `day`. */
export function addDays(day: string, offset: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + offset * DAY_MS).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(day: string): number {
  return new Date(`${day}T00:00:00Z`).getUTCDay();
}

/** The day it is at `now` in `timeZone`. */
export function dayIn(timeZone: string, now: Date): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}

/** Offset of `timeZone` from UTC at `instantMs`, in minutes (Seoul: +540). */
export function zoneOffsetMinutes(timeZone: string, instantMs: number): number {
  const name = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
    .formatToParts(new Date(instantMs))
    .find((p) => p.type === 'timeZoneName')?.value;
  const m = /^GMT(?:([+-])(\d{2}):(\d{2}))?$/.exec(name ?? '');
  if (!m) throw new Error(`cannot read the UTC offset of ${timeZone} (got "${name}")`);
  if (!m[1]) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

/**
 * Turns wall-clock times on one day in one zone into instants. The zone's offset is read once per
 * hour of the day, because formatting through `Intl` per item would dominate generation time.
 */
export class DayClock {
  private readonly midnightUtcMs: number;
  private readonly hourOffsets: number[];

  constructor(
    readonly day: string,
    timeZone: string,
  ) {
    this.midnightUtcMs = Date.parse(`${day}T00:00:00Z`);
    this.hourOffsets = Array.from({ length: 24 }, (_, hour) => {
      const wall = this.midnightUtcMs + hour * 3_600_000;
      // Two passes settle the offset around a daylight-saving change.
      const guess = wall - zoneOffsetMinutes(timeZone, wall) * 60_000;
      return zoneOffsetMinutes(timeZone, guess);
    });
  }

  /** The instant of `msIntoDay` (wall-clock milliseconds since local midnight), as ISO-8601 with offset. */
  isoAt(msIntoDay: number): { iso: string; epochMs: number } {
    const hour = Math.min(23, Math.floor(msIntoDay / 3_600_000));
    const offset = this.hourOffsets[hour]!;
    const epochMs = this.midnightUtcMs + msIntoDay - offset * 60_000;
    return { iso: formatWithOffset(epochMs, offset), epochMs };
  }
}

/** ISO-8601 with milliseconds and the given offset, e.g. `2024-05-16T21:04:05.120+09:00`. */
export function formatWithOffset(epochMs: number, offsetMinutes: number): string {
  const local = new Date(epochMs + offsetMinutes * 60_000).toISOString().slice(0, 23);
  if (offsetMinutes === 0) return `${local}Z`;
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/**
 * A time zone's UTC offsets as plain data, so workflow code can tell the day of an instant without the
 * host's time-zone database: `Intl` in a workflow could answer differently on a worker with other tz data,
 * and a replay would then pick another day than the run it replays.
 */
export interface ZoneRules {
  readonly timeZone: string;
  /** Offsets in force from each instant on (ms since the epoch), oldest first; the first covers all before it. */
  readonly offsets: readonly { readonly fromMs: number; readonly offsetMinutes: number }[];
}

const DAY_MS = 24 * 60 * 60_000;
const MINUTE_MS = 60_000;

/**
 * The rules of `timeZone` from `from` for `years` years, read from this process's `Intl` (call it outside
 * workflows, e.g. when the Schedule is created). After the last transition the last offset holds.
 */
export function zoneRules(timeZone: string, from: Date, years: number): ZoneRules {
  const offsetMinutesAt = offsetReader(timeZone);
  const start = Math.floor(from.getTime() / DAY_MS) * DAY_MS;
  const end = start + years * 366 * DAY_MS;
  const offsets = [{ fromMs: start, offsetMinutes: offsetMinutesAt(start) }];
  for (let day = start; day < end; day += DAY_MS) {
    const next = day + DAY_MS;
    const before = offsets[offsets.length - 1]!.offsetMinutes;
    if (offsetMinutesAt(next) === before) continue;
    // A change inside this day: find its minute (offsets change on whole minutes).
    let low = day;
    let high = next;
    while (high - low > MINUTE_MS) {
      const mid = low + Math.floor((high - low) / 2 / MINUTE_MS) * MINUTE_MS;
      if (offsetMinutesAt(mid) === before) low = mid;
      else high = mid;
    }
    offsets.push({ fromMs: high, offsetMinutes: offsetMinutesAt(high) });
  }
  return { timeZone, offsets };
}

/** The calendar day of `instant` under `rules`, as YYYY-MM-DD. Pure arithmetic; safe in workflows. */
export function dayUnderRules(instant: Date, rules: ZoneRules): string {
  const at = instant.getTime();
  let offset = rules.offsets[0]?.offsetMinutes ?? 0;
  for (const rule of rules.offsets) {
    if (rule.fromMs > at) break;
    offset = rule.offsetMinutes;
  }
  return new Date(at + offset * MINUTE_MS).toISOString().slice(0, 10);
}

/** Reads `timeZone`'s offset at an instant, in minutes; one formatter for all reads (making one is slow). */
function offsetReader(timeZone: string): (ms: number) => number {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
  });
  return (ms) => {
    const parts = format.formatToParts(new Date(ms));
    const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
    const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'));
    return Math.round((wall - Math.floor(ms / MINUTE_MS) * MINUTE_MS) / MINUTE_MS);
  };
}

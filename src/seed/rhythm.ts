import { apportion } from './catalogue';
import { addDays, dayOfWeek } from './calendar';
import { WeightedPicker, type Random } from './random';

/**
 * When people search: fewer searches on weekends, quiet nights and busy evenings. Weights are
 * relative; only their ratios matter.
 */

/** Searches per hour on a weekday, local time 00:00–23:00: lunch and the evening after work peak. */
const WEEKDAY_HOURS = [
  2.2, 1.2, 0.6, 0.3, 0.3, 0.5, 1.2, 2.5, 3.5, 4.5, 5, 5.5, 6.5, 6, 5.5, 5.5, 5.5, 6, 7, 8.5, 10, 10, 8, 4.5,
];
/** Weekends start later and stay flatter through the afternoon. */
const WEEKEND_HOURS = [
  3, 2, 1, 0.5, 0.3, 0.3, 0.5, 1, 2, 3.5, 5, 6, 6.5, 7, 7, 7, 6.5, 6, 6, 7, 8, 8, 6.5, 4.5,
];
/** Weekend days see this share of a weekday's searches. */
const WEEKEND_FACTOR = 0.7;
/** Day-to-day wobble, so no two weekdays are identical. */
const DAILY_NOISE = 0.08;

const WEEKDAY_PICKER = new WeightedPicker(WEEKDAY_HOURS);
const WEEKEND_PICKER = new WeightedPicker(WEEKEND_HOURS);

export interface DayPlan {
  readonly day: string;
  readonly items: number;
  readonly weekend: boolean;
}

/** How many of `items` searches fall on each of `days` days from `startDate` (adds up exactly). */
export function planDays(random: Random, items: number, startDate: string, days: number): DayPlan[] {
  const plan = Array.from({ length: days }, (_, i) => {
    const day = addDays(startDate, i);
    const dow = dayOfWeek(day);
    const weekend = dow === 0 || dow === 6;
    const weight = (weekend ? WEEKEND_FACTOR : 1) * (1 + DAILY_NOISE * (2 * random.next() - 1));
    return { day, weekend, weight };
  });
  const counts = apportion(
    items,
    plan.map((d) => d.weight),
  );
  return plan.map((d, i) => ({ day: d.day, weekend: d.weekend, items: counts[i]! }));
}

/** Wall-clock milliseconds since local midnight for one search on a weekday or weekend day. */
export function pickTimeOfDay(random: Random, weekend: boolean): number {
  const hour = (weekend ? WEEKEND_PICKER : WEEKDAY_PICKER).pick(random);
  return hour * 3_600_000 + random.int(3_600_000);
}

import { UserInputError } from '../errors';
import { addDays, dayIn, isCalendarDate } from './calendar';
import { MIN_CATALOGUE_SIZE } from './catalogue';

/** What to seed. Every field has a default; the same options always produce the same data. */
export interface SeedOptions {
  /** Any string; default `libreport`. */
  readonly seed?: string;
  /** Search items to write to DynamoDB; default 10,000. */
  readonly items?: number;
  /** Days the items are spread over; default 7. */
  readonly days?: number;
  /** First day (`YYYY-MM-DD`, report time zone); default so the last day is yesterday. */
  readonly startDate?: string;
  /** Share of items (0..1) that carry one defect; default 0. */
  readonly badItemRate?: number;
  /** Share of good items (0..1) written without `searched_at`, as the seed's producer did; default 0. */
  readonly legacyShare?: number;
  /** Books in `book_info`; default 5,000. */
  readonly catalogueSize?: number;
  /** Staff directory rows; default 40. */
  readonly staffSize?: number;
  /** DynamoDB batch writes in flight; default 8. */
  readonly concurrency?: number;
  /** Report time zone the days are in; default Asia/Seoul. */
  readonly timeZone?: string;
}

export type ResolvedSeedOptions = Required<SeedOptions>;

export const SEED_DEFAULTS = Object.freeze({
  seed: 'libreport',
  items: 10_000,
  days: 7,
  badItemRate: 0,
  legacyShare: 0,
  catalogueSize: 5_000,
  staffSize: 40,
  concurrency: 8,
  timeZone: 'Asia/Seoul',
});

const MAX_DAYS = 3660;
const MAX_CONCURRENCY = 64;

/** Fills defaults and checks ranges; bad values throw `UserInputError` naming the option. */
export function resolveSeedOptions(options: SeedOptions, now: Date = new Date()): ResolvedSeedOptions {
  const o = { ...SEED_DEFAULTS, ...definedOnly(options) };
  wholeNumber('--items', o.items, 0);
  wholeNumber('--days', o.days, 1, MAX_DAYS);
  share('--bad-items', o.badItemRate);
  share('--legacy-share', o.legacyShare);
  wholeNumber('--catalogue', o.catalogueSize, MIN_CATALOGUE_SIZE);
  wholeNumber('--staff', o.staffSize, 1, 10_000);
  wholeNumber('--concurrency', o.concurrency, 1, MAX_CONCURRENCY);
  if (o.seed.length === 0) throw new UserInputError('--seed must not be empty');
  const startDate = options.startDate ?? addDays(dayIn(o.timeZone, now), -o.days);
  if (!isCalendarDate(startDate)) {
    throw new UserInputError(`--start-date must be a calendar date written YYYY-MM-DD (got "${startDate}")`);
  }
  return Object.freeze({ ...o, startDate });
}

function definedOnly(options: SeedOptions): Partial<SeedOptions> {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
}

function wholeNumber(name: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `${min} or more` : `between ${min} and ${max}`;
    throw new UserInputError(`${name} must be a whole number ${range} (got ${value})`);
  }
}

function share(name: string, value: number): void {
  if (!Number.isFinite(value) || value < 0 || value > 1) {
    throw new UserInputError(`${name} must be a share between 0 and 1, e.g. 0.02 (got ${value})`);
  }
}

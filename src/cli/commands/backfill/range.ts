import type { Config } from '../../../config/config';
import { addDays, dayInZone, parseReportDate } from '../../../domain/reportDate';
import { UserInputError } from '../../../errors';
import type { DateRange } from '../../../workflows/backfill';

/**
 * Checks a range a user typed: real days, in order, and finished. A day that has not ended in the
 * report zone has no complete data yet, so the latest day accepted is yesterday.
 */
export function parseBackfillRange(
  fromText: string,
  toText: string,
  today: string,
  timeZone: string,
): DateRange {
  const from = parseReportDate(fromText, '--from');
  const to = parseReportDate(toText, '--to');
  if (from > to) throw new UserInputError(`--from ${from} is after --to ${to}; the range must run forward`);
  const latest = addDays(today, -1);
  if (to > latest) {
    throw new UserInputError(
      `--to ${to} has not finished yet in ${timeZone}; the latest day to backfill is ${latest}`,
    );
  }
  return { from, to };
}

/** `--from`/`--to` as typed, checked against today in the report zone. */
export function rangeFromOptions(options: { from: string; to: string }, config: Config): DateRange {
  const zone = config.report.timeZone;
  return parseBackfillRange(options.from, options.to, dayInZone(new Date(), zone), zone);
}

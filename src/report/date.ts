import { UserInputError } from '../errors';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Throws `UserInputError` unless `date` is a real calendar day written `YYYY-MM-DD`. */
export function assertReportDate(date: string): void {
  const match = DATE.exec(date);
  const parsed =
    match === null ? null : new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  if (parsed === null || parsed.toISOString().slice(0, 10) !== date) {
    throw new UserInputError(`the report date must be a calendar day written YYYY-MM-DD, got "${date}"`);
  }
}

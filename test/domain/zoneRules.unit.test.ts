import { dayInZone } from '../../src/domain/reportDate';
import { dayUnderRules, zoneRules } from '../../src/domain/zoneRules';

describe('zoneRules: a zone as data, for workflow code', () => {
  it.each(['Asia/Seoul', 'America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'UTC'])(
    '%s: the day of every hour and a half over a year matches Intl',
    (timeZone) => {
      const since = new Date('2024-01-01T00:00:00Z');
      const rules = zoneRules(timeZone, since, 2);
      for (let ms = since.getTime(); ms < since.getTime() + 366 * 86_400_000; ms += 90 * 60_000) {
        const instant = new Date(ms);
        if (dayUnderRules(instant, rules) !== dayInZone(instant, timeZone))
          throw new Error(`${timeZone} at ${instant.toISOString()}: ${dayUnderRules(instant, rules)}`);
      }
    },
  );

  it('keeps the last offset after the rules run out', () => {
    const rules = zoneRules('Asia/Seoul', new Date('2024-01-01T00:00:00Z'), 1);
    expect(rules.offsets).toEqual([{ fromMs: Date.UTC(2024, 0, 1), offsetMinutes: 540 }]);
    expect(dayUnderRules(new Date('2090-05-16T15:00:00Z'), rules)).toBe('2090-05-17');
  });
});

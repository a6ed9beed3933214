import { UserInputError } from '../../src/errors';
import { resolveSeedOptions, SEED_DEFAULTS } from '../../src/seed/options';

describe('seed options', () => {
  it('default the days so the last seeded day is yesterday in Seoul', () => {
    // 01:00 on 17 May in Seoul is still 16 May in UTC: "yesterday" must follow Seoul.
    const now = new Date('2024-05-16T16:00:00Z');
    expect(resolveSeedOptions({ days: 7 }, now).startDate).toBe('2024-05-10');
    expect(resolveSeedOptions({ days: 1 }, now).startDate).toBe('2024-05-16');
    expect(resolveSeedOptions({ days: 1, timeZone: 'UTC' }, now).startDate).toBe('2024-05-15');
  });

  it('fill every default and keep given values', () => {
    const o = resolveSeedOptions({ items: 5, startDate: '2024-02-29', seed: 'x' });
    expect(o).toEqual({ ...SEED_DEFAULTS, items: 5, startDate: '2024-02-29', seed: 'x' });
  });

  it.each([
    [{ items: -1 }, '--items'],
    [{ items: 1.5 }, '--items'],
    [{ days: 0 }, '--days'],
    [{ badItemRate: 1.2 }, '--bad-items'],
    [{ badItemRate: -0.1 }, '--bad-items'],
    [{ badItemRate: Number.NaN }, '--bad-items'],
    [{ legacyShare: 2 }, '--legacy-share'],
    [{ startDate: '2024-02-30' }, '--start-date'],
    [{ startDate: '16/05/2024' }, '--start-date'],
    [{ concurrency: 0 }, '--concurrency'],
    [{ catalogueSize: 10 }, '--catalogue'],
    [{ seed: '' }, '--seed'],
  ])('reject %j naming %s', (options, name) => {
    expect(() => resolveSeedOptions(options)).toThrow(UserInputError);
    expect(() => resolveSeedOptions(options)).toThrow(name);
  });
});

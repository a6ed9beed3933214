import { MockActivityEnvironment } from '@temporalio/testing';
import { createMartActivities } from '../../src/activities/mart';
import { MART_TABLES } from '../../src/activities/sql/mart';
import { UserInputError } from '../../src/errors';
import { DAY, STALE_DAY } from './martFixture';
import { insertSearches } from './martRows';
import { martRows, SEOUL, snapshot, useMartWarehouse } from './martWarehouse';

/** How refreshMart runs: re-runs, its own day only, heartbeats, input checks, the default time zone. */

const suite = useMartWarehouse('martruns');

describe('refreshMart', () => {
  it('gives identical mart contents when re-run, alone or concurrently', async () => {
    const before = await snapshot(suite.warehouse);
    await suite.mart.refreshMart({ date: DAY, timeZone: SEOUL });
    expect(await snapshot(suite.warehouse)).toEqual(before);
    await Promise.all([
      suite.mart.refreshMart({ date: DAY, timeZone: SEOUL }),
      suite.mart.refreshMart({ date: DAY, timeZone: SEOUL }),
    ]);
    expect(await snapshot(suite.warehouse)).toEqual(before);
  });

  it('replaces only its own day: another day’s rows stay as they were', async () => {
    // The stale day gains a request in dw that its mart rows deliberately do not reflect.
    await insertSearches(suite.warehouse, [
      { id: 'stale-extra', date: STALE_DAY, at: null, keywords: ['late'], libraries: ['남산'], isbns: [] },
    ]);
    const staleBefore = (await snapshot(suite.warehouse)).daily_headline!.filter(
      (r) => (r as { report_date: string }).report_date === STALE_DAY,
    );
    expect(staleBefore).toEqual([expect.objectContaining({ requests: '2' })]);
    const others = async () =>
      Object.fromEntries(
        await Promise.all(
          MART_TABLES.map(async (t) => [
            t,
            await suite.warehouse.query(`SELECT * FROM mart.${t} WHERE report_date <> $1 ORDER BY 1, 2, 3`, [
              DAY,
            ]),
          ]),
        ),
      );
    const otherDaysBefore = await others();
    await suite.mart.refreshMart({ date: DAY, timeZone: SEOUL });
    expect(await others()).toEqual(otherDaysBefore);
  });

  it('heartbeats once per table when run as an activity', async () => {
    const env = new MockActivityEnvironment();
    const beats: unknown[] = [];
    env.on('heartbeat', (detail: unknown) => beats.push(detail));
    await env.run(suite.mart.refreshMart, { date: DAY, timeZone: SEOUL });
    expect(beats).toEqual([...MART_TABLES]);
  });

  it('rejects a malformed date or an unknown time zone before touching the warehouse', async () => {
    await expect(suite.mart.refreshMart({ date: '2024-02-30', timeZone: SEOUL })).rejects.toBeInstanceOf(
      UserInputError,
    );
    await expect(
      suite.mart.refreshMart({ date: DAY, timeZone: "Asia/Seoul'; DROP SCHEMA mart;--" }),
    ).rejects.toBeInstanceOf(UserInputError);
  });

  it('defaults the time zone to the one the activities were built with', async () => {
    const utcMart = createMartActivities({ warehouse: suite.warehouse, timeZone: 'UTC' });
    try {
      await utcMart.refreshMart({ date: DAY });
      const hours = await martRows(suite.warehouse, 'hourly_requests', DAY, 'hour_of_day NULLS LAST');
      expect(hours[0]).toEqual({ hour_of_day: 0, requests: 3 });
    } finally {
      await suite.mart.refreshMart({ date: DAY, timeZone: SEOUL });
    }
  });
});

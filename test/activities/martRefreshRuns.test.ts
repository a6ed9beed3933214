import { MockActivityEnvironment } from '@temporalio/testing';
import { createMartActivities } from '../../src/activities/mart';
import { MART_TABLES } from '../../src/activities/sql/mart';
import {
  FIRST_LANE,
  selectWorkTables,
  STALE_WORK_TABLE_MS,
  workToken,
} from '../../src/activities/sql/martLanes';
import type { Warehouse } from '../../src/adapters/warehouse/port';
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
    // On PostgreSQL the first lane's tables come first (sql/martLanes.ts).
    expect(beats).toEqual([...FIRST_LANE, ...MART_TABLES.filter((t) => !FIRST_LANE.includes(t))]);
  });

  it('leaves no work table behind, and drops those a refresh that died left more than an hour ago', async () => {
    const workTables = async () =>
      (await suite.warehouse.query<{ tablename: string }>(selectWorkTables)).map((r) => r.tablename).sort();
    await suite.mart.refreshMart({ date: DAY, timeZone: SEOUL });
    expect(await workTables()).toEqual([]);

    const now = Date.now();
    const dead = workToken(now - 2 * STALE_WORK_TABLE_MS, 'dead00');
    const running = workToken(now, 'a1b2c3');
    for (const token of [dead, running]) {
      await suite.warehouse.query(`CREATE UNLOGGED TABLE mart_work.${token}_daily_counts (n INTEGER)`);
    }
    await suite.mart.refreshMart({ date: DAY, timeZone: SEOUL });
    expect(await workTables()).toEqual([`${running}_daily_counts`]);
    await suite.warehouse.query(`DROP TABLE mart_work.${running}_daily_counts`);
  });

  it('rolls the whole refresh back and drops its work tables when a statement fails', async () => {
    const before = await snapshot(suite.warehouse);
    const failing: Warehouse = {
      ...suite.warehouse,
      transaction: (work) =>
        suite.warehouse.transaction((tx) =>
          work({
            ...tx,
            query: (sql, params) =>
              sql.startsWith('INSERT INTO mart.daily_movers')
                ? Promise.reject(new Error('injected failure'))
                : tx.query(sql, params),
          }),
        ),
    };
    const mart = createMartActivities({ warehouse: failing, timeZone: SEOUL });
    await expect(mart.refreshMart({ date: DAY })).rejects.toThrow('injected failure');
    expect(await snapshot(suite.warehouse)).toEqual(before);
    expect(await suite.warehouse.query(selectWorkTables)).toEqual([]);
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

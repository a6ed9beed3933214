import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../src/activities';
import { addDays, dayInZone } from '../../src/domain/reportDate';
import { zoneRules } from '../../src/domain/zoneRules';
import {
  ZONE_RULE_YEARS,
  dailyScheduleOptions,
  describeSchedule,
  ensureSchedule,
  summarizeSchedule,
} from '../../src/schedule/dailySchedule';
import { activitySettings } from '../../src/worker/ports';
import { dailyReportId } from '../../src/workflows/dailyReport';
import {
  reportDayFor,
  type ScheduledDailyReportInput,
  type ScheduledDailyReportResult,
} from '../../src/workflows/scheduledDailyReport';
import { REPORT_DATE } from '../../src/workflows/searchAttributes';
import { createPipelineHarness, workflowBundle, type PipelineHarness } from '../support/pipeline';
import { dayFixture } from '../support/searchItems';
import { createLocalWorkflowEnvironment, testStackConfig } from '../support/stack';
import { runCli } from '../cli/runCli';
import { scheduleCommand } from '../../src/cli/commands/schedule';

describe('reportDayFor', () => {
  const since = new Date('2024-01-01T00:00:00Z');
  const seoul = { timeZone: 'Asia/Seoul', zoneRules: zoneRules('Asia/Seoul', since, 2) };
  const utc = { timeZone: 'UTC', zoneRules: zoneRules('UTC', since, 2) };

  it('is the day before the scheduled time, on the report zone calendar', () => {
    // 07:00 in Seoul on 17 May is 22:00 UTC on 16 May: the report is for 16 May.
    expect(reportDayFor(new Date('2024-05-16T22:00:00Z'), seoul)).toBe('2024-05-16');
    // The same instant in UTC is still 16 May, so UTC's yesterday is 15 May.
    expect(reportDayFor(new Date('2024-05-16T22:00:00Z'), utc)).toBe('2024-05-15');
    // Across a month and year boundary.
    expect(reportDayFor(new Date('2024-12-31T22:30:00Z'), seoul)).toBe('2024-12-31');
    expect(reportDayFor(new Date('2025-01-01T00:30:00Z'), utc)).toBe('2024-12-31');
  });

  it('never reads the host time-zone data: the rules the Schedule carries decide the day', () => {
    // A worker whose Intl answers differently (other tz data, or none) must pick the same day on replay.
    const intl = jest.spyOn(Intl, 'DateTimeFormat').mockImplementation(() => {
      throw new Error('workflow code consulted the host time-zone data');
    });
    try {
      expect(reportDayFor(new Date('2024-05-16T22:00:00Z'), seoul)).toBe('2024-05-16');
      expect(reportDayFor(new Date('2024-05-16T22:00:00Z'), utc)).toBe('2024-05-15');
    } finally {
      intl.mockRestore();
    }
  });

  it('is what the Schedule passes: the report zone and its offsets', () => {
    const [input] = dailyScheduleOptions(testStackConfig({ REPORT_TIMEZONE: 'America/New_York' })).action
      .args as [ScheduledDailyReportInput];
    expect(input.timeZone).toBe('America/New_York');
    // Two daylight-saving changes a year, for the years the Schedule covers.
    expect(input.zoneRules!.offsets.length).toBeGreaterThanOrEqual(2 * ZONE_RULE_YEARS);
    expect(reportDayFor(new Date(`${new Date().getUTCFullYear() + 1}-07-01T03:30:00Z`), input)).toMatch(
      /-06-29$/,
    );
  });
});

describe('the daily Schedule', () => {
  let env: TestWorkflowEnvironment;
  let h: PipelineHarness;

  beforeAll(async () => {
    [env, h] = await Promise.all([
      createLocalWorkflowEnvironment(),
      createPipelineHarness('schedule', { SCHEDULE_ID: 'libreport-daily-test', SCHEDULE_CRON: '0 7 * * *' }),
    ]);
  });

  afterEach(async () => {
    await env.client.schedule
      .getHandle(h.config.schedule.id)
      .delete()
      .catch(() => undefined);
  });

  afterAll(async () => {
    await h?.close();
    await env?.teardown();
  });

  it('is created with the daily spec, the scheduled wrapper as action and safe policies, once', async () => {
    const first = await ensureSchedule(env.client, h.config);
    expect(first.created).toBe(true);
    const again = await ensureSchedule(env.client, h.config);
    expect(again.created).toBe(false);

    const summary = summarizeSchedule(await describeSchedule(env.client, h.config.schedule.id));
    expect(summary).toMatchObject({
      scheduleId: 'libreport-daily-test',
      timeZone: 'Asia/Seoul',
      workflowType: 'scheduledDailyReport',
      taskQueue: h.config.temporal.taskQueue,
      args: [{ timeZone: 'Asia/Seoul' }],
      overlap: 'BUFFER_ALL',
      catchupWindowMs: 24 * 60 * 60 * 1000,
      pauseOnFailure: false,
      paused: false,
    });
    expect(summary.cron).toEqual(['0 7 * * *']);
    // Every upcoming run is at 07:00 in Seoul (22:00 UTC the day before).
    expect(summary.nextRuns.length).toBeGreaterThan(0);
    for (const next of summary.nextRuns) expect(next).toMatch(/T22:00:00\.000Z$/);
  });

  it('gives a Schedule made before it carried the zone offsets its offsets, changing nothing else', async () => {
    const options = dailyScheduleOptions(h.config);
    const [{ zoneRules: _rules, ...legacy }] = options.action.args as [ScheduledDailyReportInput];
    await env.client.schedule.create({ ...options, action: { ...options.action, args: [legacy] } });

    expect((await ensureSchedule(env.client, h.config)).created).toBe(false);
    const [input] = (await describeSchedule(env.client, h.config.schedule.id)).action.args as [
      ScheduledDailyReportInput,
    ];
    expect(input).toEqual({ ...legacy, zoneRules: expect.objectContaining({ timeZone: 'Asia/Seoul' }) });
    expect(reportDayFor(new Date('2024-05-16T22:00:00Z'), input)).toBe('2024-05-16');
  });

  it('describes a missing schedule as one clear line', async () => {
    await expect(describeSchedule(env.client, 'no-such-schedule')).rejects.toThrow(
      'schedule "no-such-schedule" does not exist; create it with "libreport schedule create"',
    );
  });

  it('trigger runs yesterday’s report in the report zone, marked with its date', async () => {
    const zone = h.config.report.timeZone;
    const before = addDays(dayInZone(new Date(), zone), -1);
    const candidates = [...new Set([before, addDays(dayInZone(new Date(Date.now() + 60_000), zone), -1)])];
    await h.putItems(candidates.flatMap((day) => dayFixture(day, 20).items));

    const options = dailyScheduleOptions(h.config, { email: 'skip', segments: 1 });
    const handle = await env.client.schedule.create({ ...options, state: { paused: true } });
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: h.config.temporal.taskQueue,
      workflowBundle: await workflowBundle(),
      activities: createActivities(h.ports, activitySettings(h.config)),
    });
    const result = await worker.runUntil(async () => {
      // A paused Schedule still takes a manual trigger.
      await handle.trigger();
      let workflowId: string | undefined;
      while (!workflowId) {
        workflowId = (await handle.describe()).info.recentActions[0]?.action.workflow.workflowId;
        if (!workflowId) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return env.client.workflow.getHandle(workflowId).result() as Promise<ScheduledDailyReportResult>;
    });

    expect(result.outcome).toBe('completed');
    expect(candidates).toContain(result.date);
    const audit = await h.ports.warehouse.query<{ outcome: string }>(
      `SELECT outcome FROM dw.load_audit WHERE query_date = $1`,
      [result.date],
    );
    expect(audit.map((a) => a.outcome)).toEqual(['loaded']);
    const [{ n }] = (await h.ports.warehouse.query<{ n: string }>(
      `SELECT COUNT(*) AS n FROM dw.search_query WHERE query_date = $1`,
      [result.date],
    )) as [{ n: string }];
    expect(Number(n)).toBe(20);

    const child = await env.client.workflow.getHandle(dailyReportId(result.date)).describe();
    expect(child.typedSearchAttributes.get(REPORT_DATE)).toBe(result.date);
  });

  it('is managed from the CLI: create is idempotent, pause and unpause show in describe, delete removes it', async () => {
    const cliEnv = {
      TEMPORAL_ADDRESS: env.address,
      TEMPORAL_TASK_QUEUE: h.config.temporal.taskQueue,
      SCHEDULE_ID: h.config.schedule.id,
      SCHEDULE_CRON: '30 6 * * 1-5',
    };
    const schedule = (...args: string[]) => runCli([scheduleCommand()], ['schedule', ...args], cliEnv);

    const created = await schedule('create');
    expect(created.code).toBe(0);
    expect(created.stdout).toContain(`schedule "${h.config.schedule.id}" created`);
    expect(created.stdout).toContain('30 6 * * 1-5 in Asia/Seoul');
    const again = await schedule('create');
    expect(again).toMatchObject({ code: 0 });
    expect(again.stdout).toContain('already exists');

    expect((await schedule('pause', '--note', 'warehouse maintenance')).code).toBe(0);
    const paused = JSON.parse((await schedule('describe', '--json')).stdout);
    expect(paused).toMatchObject({ paused: true, note: 'warehouse maintenance', cron: ['30 6 * * 1-5'] });
    expect((await schedule('unpause')).code).toBe(0);
    expect(JSON.parse((await schedule('describe', '--json')).stdout).paused).toBe(false);

    expect((await schedule('delete')).code).toBe(0);
    const gone = await schedule('describe');
    expect(gone.code).toBe(1);
    expect(gone.stderr).toBe(
      `libreport: schedule "${h.config.schedule.id}" does not exist; create it with "libreport schedule create"`,
    );
    expect((await schedule('trigger')).code).toBe(1);
  });
});

import { Command } from 'commander';
import { loadConfig, type Config } from '../../config/config';
import {
  describeSchedule,
  ensureSchedule,
  summarizeSchedule,
  withSchedule,
  type ScheduleSummary,
} from '../../schedule/dailySchedule';
import { EXIT, runAction } from '../runAction';
import { printJson, withClient } from '../temporalCommand';

interface JsonOption {
  readonly json?: boolean;
}

/** `libreport schedule create|describe|pause|unpause|trigger|delete`: the daily Temporal Schedule. */
export function scheduleCommand(): Command {
  const schedule = new Command('schedule')
    // Set before the subcommands are added so they inherit it: parse errors reach main's exit code 2.
    .exitOverride()
    .description(
      'Manage the Temporal Schedule that reports yesterday every morning (07:00 Asia/Seoul by default)',
    )
    .addHelpText(
      'after',
      '\nThe Schedule starts "scheduledDailyReport", which works out yesterday in REPORT_TIMEZONE from the time the\n' +
        'run was scheduled for, then runs that day. Set SCHEDULE_ID, SCHEDULE_CRON and SCHEDULE_TIMEZONE to change it\n' +
        '(changes apply to a new Schedule: delete and create).\n' +
        '\nExamples:\n' +
        '  libreport schedule create\n' +
        '  libreport schedule describe --json\n' +
        "  libreport schedule trigger        run yesterday's report now\n" +
        '  libreport schedule pause --note "warehouse maintenance"',
    );

  schedule
    .command('create')
    .description('Create the Schedule (says so and succeeds when it already exists)')
    .option('--json', 'print the Schedule as JSON')
    .action(
      runAction(async (options: JsonOption) => {
        const config = loadConfig();
        return withClient(config, async (client) => {
          const { created } = await ensureSchedule(client, config);
          const summary = summarizeSchedule(await describeSchedule(client, config.schedule.id));
          if (options.json) printJson({ created, ...summary });
          else {
            process.stdout.write(
              `schedule "${config.schedule.id}" ${created ? 'created' : 'already exists'}\n`,
            );
            process.stdout.write(formatSchedule(summary));
          }
          return EXIT.ok;
        });
      }),
    );

  schedule
    .command('describe')
    .description('Show the Schedule: when it runs, what it starts, its policies, recent and next runs')
    .option('--json', 'print the Schedule as JSON')
    .action(
      runAction(async (options: JsonOption) => {
        const config = loadConfig();
        return withClient(config, async (client) => {
          const summary = summarizeSchedule(await describeSchedule(client, config.schedule.id));
          if (options.json) printJson(summary);
          else process.stdout.write(formatSchedule(summary));
          return EXIT.ok;
        });
      }),
    );

  schedule
    .command('pause')
    .description('Pause the Schedule: no runs start until unpaused (trigger still works)')
    .option('--note <text>', 'why it is paused (shown by describe)', 'paused with libreport')
    .action(
      runAction(async (options: { note: string }) =>
        simple(loadConfig(), (h) => h.pause(options.note), 'paused'),
      ),
    );

  schedule
    .command('unpause')
    .description('Unpause the Schedule')
    .action(
      runAction(async () => simple(loadConfig(), (h) => h.unpause('unpaused with libreport'), 'unpaused')),
    );

  schedule
    .command('trigger')
    .description('Start a run now; it reports yesterday in the report time zone, like a scheduled run')
    .action(
      runAction(async () =>
        simple(loadConfig(), (h) => h.trigger(), "triggered: yesterday's report is starting"),
      ),
    );

  schedule
    .command('delete')
    .description('Delete the Schedule (runs already started go on)')
    .action(runAction(async () => simple(loadConfig(), (h) => h.delete(), 'deleted')));

  return schedule;
}

async function simple(
  config: Config,
  operation: Parameters<typeof withSchedule>[2],
  done: string,
): Promise<number> {
  return withClient(config, async (client) => {
    await withSchedule(client, config.schedule.id, operation);
    process.stdout.write(`schedule "${config.schedule.id}" ${done}\n`);
    return EXIT.ok;
  });
}

/** The Schedule for people. */
export function formatSchedule(s: ScheduleSummary): string {
  const lines = [
    `schedule ${s.scheduleId}${s.paused ? ' (PAUSED' + (s.note ? `: ${s.note}` : '') + ')' : ''}`,
    `  when:      ${s.cron.join(', ')} in ${s.timeZone}`,
    `  starts:    ${s.workflowType} on task queue ${s.taskQueue} with ${JSON.stringify(s.args)}`,
    `  policies:  overlap ${s.overlap}, catch-up window ${Math.round(s.catchupWindowMs / 3_600_000)}h, pause on failure ${s.pauseOnFailure ? 'on' : 'off'}`,
    `  next runs: ${s.nextRuns.slice(0, 3).join(', ') || '(none)'}`,
  ];
  for (const run of s.recentRuns.slice(-5)) lines.push(`  ran:       ${run.scheduledAt} → ${run.workflowId}`);
  if (s.running.length) lines.push(`  running:   ${s.running.join(', ')}`);
  return `${lines.join('\n')}\n`;
}

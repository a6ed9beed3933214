import type { Command } from 'commander';
import { backfillCommand } from './backfill';
import { doctorCommand } from './doctor';
import { dynamoCommand } from './dynamo';
import { resendCommand } from './resend';
import { runCommand } from './run';
import { scheduleCommand } from './schedule';
import { seedCommand } from './seed';
import { setupCommand } from './setup';
import { stackCommand } from './stack';
import { staffCommand } from './staff';
import { startCommand } from './start';
import { statusCommand } from './status';
import { sweepCommand } from './sweep';
import { workerCommand } from './worker';

/** Every top-level command, one file each. */
export function commands(): Command[] {
  return [
    startCommand(),
    setupCommand(),
    doctorCommand(),
    runCommand(),
    resendCommand(),
    statusCommand(),
    sweepCommand(),
    staffCommand(),
    scheduleCommand(),
    backfillCommand(),
    seedCommand(),
    dynamoCommand(),
    workerCommand(),
    stackCommand(),
  ];
}

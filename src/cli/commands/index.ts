import type { Command } from 'commander';
import { resendCommand } from './resend';
import { runCommand } from './run';
import { seedCommand } from './seed';
import { stackCommand } from './stack';
import { startCommand } from './start';
import { workerCommand } from './worker';

/** Every top-level command, one file each. */
export function commands(): Command[] {
  return [startCommand(), runCommand(), resendCommand(), seedCommand(), workerCommand(), stackCommand()];
}

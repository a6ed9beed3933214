import type { Command } from 'commander';
import { seedCommand } from './seed';
import { stackCommand } from './stack';
import { workerCommand } from './worker';

/** Every top-level command, one file each. */
export function commands(): Command[] {
  return [stackCommand(), seedCommand(), workerCommand()];
}

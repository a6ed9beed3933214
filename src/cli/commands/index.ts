import type { Command } from 'commander';

/** Every top-level command, one file each. */
export function commands(): Command[] {
  return [];
}

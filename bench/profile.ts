import path from 'node:path';
import { formatProfileSummary, summarizeProfiles } from './profileSummary';

/** `node --import tsx bench/profile.ts [dir]`: where the worker's CPU time went, from `--cpu-prof` profiles. */
const dir = process.argv[2] ?? path.join(__dirname, 'results', 'profiles');
for (const summary of summarizeProfiles(dir).slice(0, 1))
  process.stdout.write(`${formatProfileSummary(summary)}\n`);

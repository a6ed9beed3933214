// `npm run build`: compiles src/ to dist/ with tsc and copies the SQL files the code reads next to itself.
// bin/libreport runs dist/ whenever it is newer than every file in src/, else src/ through tsx.
import { execFileSync } from 'node:child_process';
import console from 'node:console';
import process from 'node:process';
import { cpSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const src = path.join(root, 'src');
const dist = path.join(root, 'dist');

rmSync(dist, { recursive: true, force: true });
execFileSync(
  process.execPath,
  [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
  {
    cwd: root,
    stdio: 'inherit',
  },
);

function copyAssets(dir) {
  for (const name of readdirSync(dir)) {
    const from = path.join(dir, name);
    if (statSync(from).isDirectory()) copyAssets(from);
    else if (!name.endsWith('.ts')) {
      const to = path.join(dist, path.relative(src, from));
      mkdirSync(path.dirname(to), { recursive: true });
      cpSync(from, to);
    }
  }
}
copyAssets(src);
// The workflow bundle, from the code just compiled: workers started from dist/ load it instead of running
// webpack at every start (see src/worker/runWorker.ts).
execFileSync(
  process.execPath,
  [path.join(dist, 'worker', 'bundleWorkflows.js'), path.join(dist, 'workflows.bundle.js')],
  { cwd: root, stdio: 'inherit' },
);
// Written last: a build that failed half-way is never mistaken for a fresh one.
writeFileSync(path.join(dist, '.built'), new Date().toISOString() + '\n');
console.log('built dist/ from src/');

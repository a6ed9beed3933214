import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const CLI = path.resolve(__dirname, '../../bin/libreport');

describe('bin/libreport', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'libreport-launcher-'));
  const probe = path.join(dir, 'probe.js');
  const seen = path.join(dir, 'seen.json');
  // Loaded through NODE_OPTIONS into the process bin/libreport starts: records the V8 flags and malloc setting it got.
  // NODE_OPTIONS preloads run in worker threads too (tsx's loader-hooks thread, others with no execArgv at all), so
  // only the main thread writes: a worker that wrote last made this test fail now and then.
  writeFileSync(
    probe,
    `if (require('node:worker_threads').isMainThread) require('node:fs').writeFileSync(${JSON.stringify(seen)}, JSON.stringify({ execArgv: process.execArgv, arenas: process.env.MALLOC_ARENA_MAX }));`,
  );
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function launch(nodeOptions: string, env: NodeJS.ProcessEnv = {}) {
    rmSync(seen, { force: true });
    const result = spawnSync(CLI, ['--help'], {
      encoding: 'utf8',
      env: { ...process.env, ...env, NODE_OPTIONS: nodeOptions },
      timeout: 60_000,
    });
    // The exit and stderr together, so a failure says why the command did not start.
    expect({
      status: result.status,
      signal: result.signal,
      stderr: result.status === 0 ? '' : result.stderr,
    }).toEqual({
      status: 0,
      signal: null,
      stderr: '',
    });
    return JSON.parse(readFileSync(seen, 'utf8')) as { execArgv: string[]; arenas?: string };
  }

  it("starts node with a small young generation and two malloc arenas, the worker's memory settings", () => {
    const { execArgv, arenas } = launch(`--require ${probe}`, { MALLOC_ARENA_MAX: '' });
    expect(execArgv).toContain('--max-semi-space-size=4');
    expect(arenas).toBe('2');
  });

  it("leaves the young generation to an operator's NODE_OPTIONS", () => {
    const { execArgv } = launch(`--max-semi-space-size=16 --require ${probe}`);
    expect(execArgv.some((flag) => flag.startsWith('--max-semi-space-size'))).toBe(false);
  });
});

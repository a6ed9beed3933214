import { spawnSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

/** The renderer's packages a fresh process holds after requiring `module`, counted from require.cache. */
function rendererModulesLoadedBy(module: string): string[] {
  const script = `require(${JSON.stringify(module)});
    const renderer = /node_modules\\/(mjml[^/]*|canvas|chart\\.js|juice|html-minifier[^/]*)\\//;
    process.stdout.write(JSON.stringify(Object.keys(require.cache).filter((file) => renderer.test(file))));`;
  const result = spawnSync(
    process.execPath,
    ['--import', path.join(ROOT, 'node_modules/tsx/dist/loader.mjs'), '-e', script],
    { cwd: ROOT, encoding: 'utf8', timeout: 60_000 },
  );
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout) as string[];
}

describe('the renderer stays out of the worker', () => {
  it('loads none of canvas, Chart.js or MJML with the activities (they run in the render child)', () => {
    expect(rendererModulesLoadedBy(path.join(ROOT, 'src/activities/index.ts'))).toEqual([]);
  });

  it('does load them for the render child, so the check above can see them', () => {
    expect(rendererModulesLoadedBy(path.join(ROOT, 'src/report/renderReport.ts')).length).toBeGreaterThan(0);
  });
});

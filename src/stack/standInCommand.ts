import path from 'node:path';
import type { ManagedProcessSpec } from './processes';

/**
 * How to start one of libreport's own stand-ins (`serveStandIn.ts`) as a background process: the compiled
 * file when this code runs from dist/, else the TypeScript source through tsx, as bin/libreport does.
 */
export function standInCommand(
  name: string,
  args: readonly string[],
  env?: Readonly<Record<string, string>>,
): ManagedProcessSpec {
  const fromSource = __filename.endsWith('.ts');
  const script = path.join(__dirname, `serveStandIn.${fromSource ? 'ts' : 'js'}`);
  const loader = path.join(path.dirname(require.resolve('tsx/package.json')), 'dist', 'loader.mjs');
  return {
    name,
    command: process.execPath,
    args: [...(fromSource ? ['--import', loader] : []), script, name, ...args],
    marker: 'serveStandIn',
    ...(env ? { env } : {}),
  };
}

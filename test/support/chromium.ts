import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

/** Where the report tests look for a Chromium: $CHROMIUM, then Debian's package, then PATH. */
export function findChromium(): string | undefined {
  const candidates = [process.env.CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  for (const candidate of candidates) if (candidate && existsSync(candidate)) return candidate;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    for (const name of ['chromium', 'chromium-browser']) {
      const file = path.join(dir, name);
      if (dir && existsSync(file)) return file;
    }
  }
  return undefined;
}

const INSTALL_HINT =
  'install Debian\'s chromium ("sudo apt-get install -y chromium") or set CHROMIUM to a Chromium binary';

/**
 * The Chromium the browser tests drive. When none is found and this runs as root on Debian/Ubuntu (a fresh CI box,
 * a container), installs the distribution's `chromium` package, as `npm start` installs what it needs; otherwise
 * fails with one line saying how to get one.
 */
export function ensureChromium(log: (line: string) => void): string {
  const found = findChromium();
  if (found) return found;
  const canInstall = process.getuid?.() === 0 && spawnSync('apt-get', ['--version']).status === 0;
  if (!canInstall) throw new Error(`the report tests need headless Chromium: ${INSTALL_HINT}`);
  log("Chromium not found: installing Debian's chromium package (apt-get, about a minute)");
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    execFileSync('apt-get', ['update', '-qq'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium'], {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  } catch (error) {
    const stderr = String((error as { stderr?: Buffer }).stderr ?? '')
      .trim()
      .split('\n')
      .pop();
    throw new Error(`installing chromium with apt-get failed (${stderr || 'no output'}): ${INSTALL_HINT}`, {
      cause: error,
    });
  }
  const installed = findChromium();
  if (!installed) throw new Error(`apt-get installed chromium but no binary was found: ${INSTALL_HINT}`);
  return installed;
}

/** The Chromium globalSetup found or installed for this test run (LIBREPORT_TEST_CHROMIUM), else a search now. */
export function testChromium(): string {
  const chromium = process.env.LIBREPORT_TEST_CHROMIUM ?? findChromium();
  if (!chromium) throw new Error(`the report tests need headless Chromium: ${INSTALL_HINT}`);
  return chromium;
}

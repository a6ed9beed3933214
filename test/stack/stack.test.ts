import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { Client } from 'pg';
import { stackCommand } from '../../src/cli/commands/stack';
import { UserInputError } from '../../src/errors';
import { stackDown, stackStatus, stackUp } from '../../src/stack';
import { isAlive } from '../../src/stack/processes';
import type { StackStatus } from '../../src/stack';
import { TEST_PG_ADMIN_URL } from '../support/databases';
import { testStackConfig } from '../support/stack';
import { freePort } from '../support/freePort';

function pgUrl(database: string, password?: string): string {
  const url = new URL(TEST_PG_ADMIN_URL);
  url.pathname = `/${database}`;
  // Trust auth ignores the password; it is there to prove status never prints it.
  if (password) url.password = password;
  return url.toString();
}

async function dropDatabases(names: string[]): Promise<void> {
  const admin = new Client({ connectionString: TEST_PG_ADMIN_URL });
  await admin.connect();
  try {
    for (const name of names) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

const partsByName = (status: StackStatus) => Object.fromEntries(status.parts.map((p) => [p.name, p]));

describe('stack up / status / down on private ports', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'libreport-stack-'));
  const databases = [`lr_test_stack_dw_${process.pid}`, `lr_test_stack_rds_${process.pid}`];
  let config: ReturnType<typeof testStackConfig>;

  beforeAll(async () => {
    const [temporal, ui, dynalite, ses] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
    config = testStackConfig({
      LIBREPORT_DATA_DIR: dataDir,
      TEMPORAL_ADDRESS: `127.0.0.1:${temporal}`,
      TEMPORAL_UI_URL: `http://127.0.0.1:${ui}`,
      DYNAMODB_ENDPOINT: `http://127.0.0.1:${dynalite}`,
      SES_ENDPOINT: `http://127.0.0.1:${ses}`,
      WAREHOUSE_URL: pgUrl(databases[0]!, 'secret-pw'),
      RDS_URL: pgUrl(databases[1]!),
    });
  });

  afterAll(async () => {
    await stackDown(config);
    await dropDatabases(databases);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts every part, reuses them on a second call, and stops only its own', async () => {
    const firstLog: string[] = [];
    const first = partsByName(await stackUp(config, (line) => firstLog.push(line)));

    for (const name of ['temporal', 'dynamodb', 'ses'] as const) {
      expect(first[name]).toMatchObject({ running: true, managed: true });
      expect(isAlive(first[name]!.pid!)).toBe(true);
    }
    expect(first.warehouse).toMatchObject({ running: true, managed: false });
    expect(first.rds).toMatchObject({ running: true, managed: false });
    expect(first.warehouse!.endpoint).not.toContain('secret-pw');
    expect(firstLog.filter((line) => line.includes('creating database'))).toHaveLength(2);

    const secondLog: string[] = [];
    const second = partsByName(await stackUp(config, (line) => secondLog.push(line)));
    for (const name of ['temporal', 'dynamodb', 'ses'] as const) {
      expect(second[name]!.pid).toBe(first[name]!.pid);
      expect(secondLog).toContain(`${name}: already running at ${second[name]!.endpoint}`);
    }
    expect(secondLog.some((line) => line.includes('starting') || line.includes('creating'))).toBe(false);

    const stopped = await stackDown(config);
    expect(stopped.map((s) => s.stoppedPid).sort()).toEqual(
      [first.temporal!.pid, first.dynamodb!.pid, first.ses!.pid].sort(),
    );
    for (const name of ['temporal', 'dynamodb', 'ses'] as const)
      expect(isAlive(first[name]!.pid!)).toBe(false);

    const after = partsByName(await stackStatus(config));
    expect(after.temporal).toMatchObject({ running: false, managed: false });
    expect(after.dynamodb).toMatchObject({ running: false, managed: false });
    expect(after.ses).toMatchObject({ running: false, managed: false });
    // The machine's PostgreSQL is never ours to stop.
    expect(after.rds).toMatchObject({ running: true, managed: false });
  });

  it('reuses a server someone else runs and leaves it running on stack down', async () => {
    const foreign = http.createServer((req, res) =>
      res.writeHead(req.url === '/health-check' ? 200 : 404).end(),
    );
    await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve));
    const port = (foreign.address() as net.AddressInfo).port;
    const foreignConfig = testStackConfig({
      LIBREPORT_DATA_DIR: dataDir,
      SES_ENDPOINT: `http://127.0.0.1:${port}`,
    });
    try {
      const up = partsByName(await stackUp(foreignConfig, () => undefined, { only: ['ses'] }));
      expect(up.ses).toMatchObject({ running: true, managed: false });
      expect(up.ses!.pid).toBeUndefined();

      const stopped = await stackDown(foreignConfig);
      expect(stopped.find((s) => s.name === 'ses')!.stoppedPid).toBeUndefined();
      expect(foreign.listening).toBe(true);
    } finally {
      await new Promise((resolve) => foreign.close(resolve));
    }
  });

  it('refuses to start anything when LIBREPORT_ENV=aws', async () => {
    const aws = testStackConfig({ LIBREPORT_ENV: 'aws', WAREHOUSE_KIND: 'pg' });
    await expect(stackUp(aws, () => undefined)).rejects.toBeInstanceOf(UserInputError);
  });
});

describe('libreport stack status --json', () => {
  it('prints every part with its endpoint and no password', async () => {
    const written: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    const exitCode = process.exitCode;
    try {
      const program = new Command('libreport').exitOverride().addCommand(stackCommand());
      await program.parseAsync(['stack', 'status', '--json'], { from: 'user' });
    } finally {
      spy.mockRestore();
      process.exitCode = exitCode;
    }

    const status = JSON.parse(written.join('')) as StackStatus;
    expect(status.env).toBe('local');
    expect(status.parts.map((p) => p.name)).toEqual(['temporal', 'dynamodb', 'ses', 'warehouse', 'rds']);
    for (const part of status.parts) {
      expect(typeof part.running).toBe('boolean');
      expect(typeof part.managed).toBe('boolean');
      expect(part.endpoint).toEqual(expect.any(String));
    }
    const byName = Object.fromEntries(status.parts.map((p) => [p.name, p]));
    expect(byName.temporal!.uiUrl).toMatch(/^http:\/\//);
    expect(byName.dynamodb!.table).toEqual(expect.any(String));
    expect(byName.ses!.uiUrl).toMatch(/^http:\/\//);
  });
});

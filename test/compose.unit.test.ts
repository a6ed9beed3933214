import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { commands } from '../src/cli/commands';

interface ComposeService {
  image?: string;
  build?: unknown;
  ports?: (string | { host_ip?: string; published?: string | number })[];
  environment?: Record<string, string | number> | string[];
  depends_on?: string[] | Record<string, unknown>;
  command?: string[];
  entrypoint?: string[];
  healthcheck?: { test: string[] };
  restart?: string;
  profiles?: string[];
  container_name?: string;
}

const root = path.resolve(__dirname, '..');
// merge: the file shares libreport's environment and dependencies through YAML anchors and `<<`.
const compose = parse(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
};
const services = compose.services;

function environmentOf(service: ComposeService): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env))
    return Object.fromEntries(env.map((line) => line.split(/=(.*)/s).slice(0, 2) as [string, string]));
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)]));
}

describe('docker-compose.yml', () => {
  it('has every service docs/deploying.md names', () => {
    for (const name of ['temporal', 'temporal-ui', 'postgresql', 'dynamodb', 'ses', 'worker']) {
      expect(Object.keys(services)).toContain(name);
    }
  });

  it('binds every published port to 127.0.0.1 only', () => {
    const published = Object.entries(services).flatMap(([name, service]) =>
      (service.ports ?? []).map((port) => ({ name, port })),
    );
    expect(published.length).toBeGreaterThan(0);
    for (const { name, port } of published) {
      const loopback =
        typeof port === 'string' ? port.startsWith('127.0.0.1:') : port.host_ip === '127.0.0.1';
      if (!loopback) throw new Error(`service ${name} publishes ${JSON.stringify(port)} beyond loopback`);
    }
  });

  it('takes database passwords from the environment, never from the file', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const [key, value] of Object.entries(environmentOf(service))) {
        if (/PASSWORD|PWD/.test(key))
          expect({ name, key, value }).toEqual({
            name,
            key,
            value: expect.stringMatching(/^\$\{[A-Z_]+[:?}]/),
          });
        const inUrl = /^postgres(ql)?:\/\/[^:/@]+:([^@]+)@/.exec(value);
        if (inUrl)
          expect({ name, key, password: inUrl[2] }).toEqual({
            name,
            key,
            password: expect.stringMatching(/^\$\{/),
          });
      }
    }
  });

  it('points the worker at the other services by name, and only at services that exist', () => {
    const env = environmentOf(services.worker!);
    expect(env.TEMPORAL_ADDRESS).toBe('temporal:7233');
    expect(new URL(env.DYNAMODB_ENDPOINT!).hostname).toBe('dynamodb');
    expect(new URL(env.SES_ENDPOINT!).hostname).toBe('ses');
    expect(new URL(env.WAREHOUSE_URL!.replace(/\$\{[^}]*\}/, 'x')).hostname).toBe('postgresql');
    expect(new URL(env.RDS_URL!.replace(/\$\{[^}]*\}/, 'x')).hostname).toBe('postgresql');
    for (const service of Object.values(services)) {
      const deps = Array.isArray(service.depends_on)
        ? service.depends_on
        : Object.keys(service.depends_on ?? {});
      for (const dep of deps) expect(Object.keys(services)).toContain(dep);
    }
  });

  it('runs a one-shot setup, scalable workers and a demo profile, with health checks and restart policies', () => {
    expect(services.setup).toMatchObject({ image: 'libreport:local', command: ['setup'] });
    expect(services.setup!.restart).toMatch(/^(no|on-failure(:\d+)?)$/);
    // Scalable: nothing that two copies of the worker could not share.
    expect(services.worker!.command).toEqual(['worker']);
    expect(services.worker!.container_name).toBeUndefined();
    expect(services.worker!.ports).toBeUndefined();
    expect(environmentOf(services.worker!).TEMPORAL_TASK_QUEUE).toBeUndefined();
    for (const name of ['postgresql', 'temporal', 'ses', 'worker'])
      expect({ name, healthcheck: services[name]!.healthcheck?.test.length }).toEqual({
        name,
        healthcheck: expect.any(Number),
      });
    for (const [name, service] of Object.entries(services))
      expect({ name, restart: service.restart }).toEqual({ name, restart: expect.any(String) });
    expect(services.demo!.profiles).toEqual(['demo']);
    expect(services['demo-seed']!.profiles).toEqual(['demo']);
  });

  it('gives every password a default from .env.example, so nothing is typed by hand locally', () => {
    const example = readFileSync(path.join(root, '.env.example'), 'utf8');
    expect(example).toMatch(/^POSTGRES_PASSWORD=\S+$/m);
  });

  it('runs only commands the CLI has', () => {
    const program = { commands: commands() };
    const libreport = Object.entries(services).filter(
      ([, service]) => service.image === 'libreport:local' && !service.entrypoint,
    );
    expect(libreport.map(([name]) => name).sort()).toEqual(['demo', 'demo-seed', 'setup', 'worker']);
    for (const [name, service] of libreport) {
      const [first, second] = service.command ?? [];
      const command = program.commands.find((c) => c.name() === first);
      expect({ name, command: command?.name() }).toEqual({ name, command: first });
      const sub = command!.commands;
      if (sub.length && second && !second.startsWith('-'))
        expect({ name, sub: sub.find((c) => c.name() === second)?.name() }).toEqual({ name, sub: second });
      // Options must parse: commander knows every long option the compose file passes.
      for (const option of (service.command ?? []).filter((arg) => arg.startsWith('--')))
        expect({ name, option, known: command!.options.some((o) => o.long === option) }).toEqual({
          name,
          option,
          known: true,
        });
    }
  });
});

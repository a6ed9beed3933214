import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

interface ComposeService {
  image?: string;
  build?: unknown;
  ports?: (string | { host_ip?: string; published?: string | number })[];
  environment?: Record<string, string | number> | string[];
  depends_on?: string[] | Record<string, unknown>;
}

const root = path.resolve(__dirname, '..');
const compose = parse(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8')) as {
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
  it('has every service the README names', () => {
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
});

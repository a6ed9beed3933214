import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { loadConfig } from '../../src/config/config';
import { envSchema } from '../../src/config/envSchema';

const root = path.resolve(__dirname, '../..');
const example = readFileSync(path.join(root, '.env.example'), 'utf8');

/** The variable names the configuration's environment schema declares. */
function variablesConfigReads(): string[] {
  return Object.keys(envSchema.shape);
}

describe('.env.example', () => {
  const documented = new Set([...example.matchAll(/^(?:# )?([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]!));

  it('lists every variable config.ts reads', () => {
    const read = variablesConfigReads();
    expect(read.length).toBeGreaterThan(20);
    expect(read.filter((name) => !documented.has(name))).toEqual([]);
  });

  it('gives each variable a comment line just above it', () => {
    const lines = example.split('\n');
    lines.forEach((line, i) => {
      if (/^(?:# )?[A-Z][A-Z0-9_]+=/.test(line)) {
        const above = lines[i - 1] ?? '';
        expect({ line, above }).toEqual({ line, above: expect.stringMatching(/^# (?![A-Z][A-Z0-9_]+=)\S/) });
      }
    });
  });

  it('is a valid configuration as it stands', () => {
    const env = parseEnv(example) as NodeJS.ProcessEnv;
    const config = loadConfig(env, root);
    expect(config.env).toBe('local');
    expect(config.dynamo.endpoint).toBe('http://127.0.0.1:4567');
  });
});

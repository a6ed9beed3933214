import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, MissingResourceError } from '../../src/errors';
import { bundledTemporalCliPath, findTemporalCli } from '../../src/stack';
import { testStackConfig } from '../support/stack';

describe('findTemporalCli', () => {
  const toolsDir = mkdtempSync(path.join(os.tmpdir(), 'libreport-tools-'));
  const savedPath = process.env.PATH;

  beforeEach(() => {
    // No `temporal` on PATH, whatever the developer's machine has installed.
    process.env.PATH = path.join(toolsDir, 'empty-bin');
  });

  afterEach(() => {
    process.env.PATH = savedPath;
  });

  afterAll(() => rmSync(toolsDir, { recursive: true, force: true }));

  it('names TEMPORAL_CLI when it points at nothing', async () => {
    const config = testStackConfig({
      TEMPORAL_CLI: path.join(toolsDir, 'nope'),
      LIBREPORT_TOOLS_DIR: toolsDir,
    });
    await expect(findTemporalCli(config)).rejects.toThrow(ConfigError);
    await expect(findTemporalCli(config)).rejects.toThrow(/TEMPORAL_CLI=.*nope/);
  });

  it('says what to install when there is no binary and no Go', async () => {
    const config = testStackConfig({ TEMPORAL_CLI: '', LIBREPORT_TOOLS_DIR: toolsDir });
    const failure = findTemporalCli(config);
    await expect(failure).rejects.toBeInstanceOf(MissingResourceError);
    await expect(failure).rejects.toThrow(/install Go .*TEMPORAL_CLI/);
  });

  it('finds the binary built under the tools dir', async () => {
    const config = testStackConfig({ TEMPORAL_CLI: '', LIBREPORT_TOOLS_DIR: toolsDir });
    const binary = bundledTemporalCliPath(config);
    mkdirSync(path.dirname(binary), { recursive: true });
    writeFileSync(binary, '#!/bin/sh\n');
    chmodSync(binary, 0o755);
    await expect(findTemporalCli(config)).resolves.toBe(binary);
  });
});

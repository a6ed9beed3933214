import { readdirSync } from 'node:fs';
import path from 'node:path';
import { LOCAL_PORTS } from '../../src/config/config';
import { REPO_ROOT, testStackConfig } from '../support/stack';

// Tests beside a running demo (`npm start`) must neither write into its dynalite nor clear its mail.
describe("the test run's stand-ins are its own", () => {
  const config = testStackConfig();

  it('listen on ports other than the local stack', () => {
    expect(new URL(config.dynamo.endpoint!).port).not.toBe(String(LOCAL_PORTS.dynalite));
    expect(new URL(config.ses.endpoint!).port).not.toBe(String(LOCAL_PORTS.ses));
  });

  it("keep their data apart from the product's and other runs'", () => {
    expect(config.dataDir).not.toBe(path.join(REPO_ROOT, '.data'));
    expect(config.dataDir).not.toBe(path.join(REPO_ROOT, '.data', 'test'));
  });

  it('were started under that data folder, where globalTeardown finds them to stop them', () => {
    const pids = readdirSync(path.join(config.dataDir, 'run'));
    expect(pids).toEqual(expect.arrayContaining(['dynalite.pid', 'ses.pid']));
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PREBUILT_BUNDLE, prebuiltWorkflowBundle } from '../../src/worker/runWorker';

describe('prebuiltWorkflowBundle', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'bundle-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('names the bundle the build wrote beside the compiled code', () => {
    writeFileSync(path.join(dir, PREBUILT_BUNDLE), '/* bundle */');
    expect(prebuiltWorkflowBundle(dir)).toBe(path.join(dir, PREBUILT_BUNDLE));
  });

  it('finds none where there is no build, so the worker bundles the workflows itself', () => {
    expect(prebuiltWorkflowBundle(dir)).toBeUndefined();
  });

  it('finds none when the worker runs from the sources', () => {
    expect(prebuiltWorkflowBundle()).toBeUndefined();
  });
});

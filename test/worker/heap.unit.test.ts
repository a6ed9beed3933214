import { spawnSync } from 'node:child_process';
import { setFlagsFromString } from 'node:v8';
import { limitHeapGrowth } from '../../src/worker/heap';

jest.mock('node:v8', () => ({ ...jest.requireActual('node:v8'), setFlagsFromString: jest.fn() }));

describe('limitHeapGrowth', () => {
  beforeEach(() => jest.mocked(setFlagsFromString).mockClear());

  it('sets V8 heap growth to the configured percentage', () => {
    limitHeapGrowth(50);
    expect(setFlagsFromString).toHaveBeenCalledWith('--heap-growing-percent=50');
  });

  it("leaves V8's default at 0", () => {
    limitHeapGrowth(0);
    expect(setFlagsFromString).not.toHaveBeenCalled();
  });

  // setFlagsFromString ignores a flag V8 does not know; the command line refuses one, so this is the check
  // that this Node's V8 still has the flag under that name.
  it("is a flag this Node's V8 knows", () => {
    const known = spawnSync(process.execPath, ['--heap-growing-percent=50', '-e', '0'], { encoding: 'utf8' });
    expect(known.stderr).toBe('');
    expect(known.status).toBe(0);
  });
});

import { startPoller } from '../../src/cli/poller';
import { handleStrayError } from '../../src/cli/runAction';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('startPoller', () => {
  it('stop() resolves only after the tick in flight has settled, and no tick starts after it', async () => {
    const events: string[] = [];
    let release!: () => void;
    const poller = startPoller(async () => {
      events.push('tick');
      await new Promise<void>((resolve) => (release = resolve));
      events.push('tick settled');
    }, 5);
    while (!events.includes('tick')) await sleep(1);

    const stopped = poller.stop().then(() => events.push('stopped'));
    await sleep(20);
    expect(events).toEqual(['tick']);
    release();
    await stopped;
    expect(events).toEqual(['tick', 'tick settled', 'stopped']);
    await sleep(30);
    expect(events.filter((e) => e === 'tick')).toHaveLength(1);
  });

  it('keeps polling after a failed tick and hands the failure to onError', async () => {
    const errors: unknown[] = [];
    let ticks = 0;
    const poller = startPoller(
      async () => {
        ticks++;
        if (ticks === 1) throw new Error('not started yet');
      },
      2,
      (error) => errors.push(error),
    );
    while (ticks < 3) await sleep(1);
    await poller.stop();
    expect(errors).toEqual([new Error('not started yet')]);
  });

  it('starts the next tick only after the last one settled', async () => {
    let concurrent = 0;
    let most = 0;
    let ticks = 0;
    const poller = startPoller(async () => {
      ticks++;
      most = Math.max(most, ++concurrent);
      await sleep(10);
      concurrent--;
    }, 1);
    while (ticks < 4) await sleep(2);
    await poller.stop();
    expect(most).toBe(1);
  });
});

describe('handleStrayError', () => {
  it('logs an error that escapes after the command finished in one line, leaving its exit code', () => {
    let stderr = '';
    const write = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stderr += String(chunk);
      return true;
    });
    process.exitCode = 0;
    try {
      handleStrayError(new Error('Channel has been shut down'));
    } finally {
      write.mockRestore();
    }
    expect(stderr).toBe(
      'libreport: ignored an error raised after the command had finished: Channel has been shut down\n',
    );
    expect(process.exitCode).toBe(0);
    process.exitCode = undefined;
  });
});

import type { RawItem, SearchTable } from '../../src/adapters/dynamo/port';
import { ServiceUnavailableError } from '../../src/errors';
import { BATCH_SIZE, createDynamoLoader } from '../../src/seed/loadDynamo';

const item = (i: number): RawItem => ({ query_id: { S: `q-${i}` } });
const idOf = (it: RawItem) => (it.query_id as { S: string }).S;

/** A table double that records writes, holds each call open for a tick, and can shed load. */
function fakeTable(
  behaviour: { unprocessedEvery?: number; throttleFirstCalls?: number; failWith?: Error } = {},
) {
  const written: string[] = [];
  let calls = 0;
  let open = 0;
  let maxOpen = 0;
  const table: SearchTable = {
    tableName: 'fake',
    describe: () => Promise.reject(new Error('unused')),
    scanPage: () => Promise.reject(new Error('unused')),
    queryDayPage: () => Promise.reject(new Error('unused')),
    sweepPage: () => Promise.reject(new Error('unused')),
    addDayIndex: () => Promise.reject(new Error('unused')),
    ensureTable: () => Promise.resolve(),
    async writeBatch(items) {
      const call = ++calls;
      open++;
      maxOpen = Math.max(maxOpen, open);
      await new Promise((resolve) => setImmediate(resolve));
      open--;
      if (items.length > BATCH_SIZE) throw new Error(`batch of ${items.length}`);
      if (behaviour.failWith) throw behaviour.failWith;
      if (behaviour.throttleFirstCalls && call <= behaviour.throttleFirstCalls) {
        throw Object.assign(new Error('slow down'), { name: 'ProvisionedThroughputExceededException' });
      }
      // Leave the last item of every n-th call unprocessed, as DynamoDB does under load.
      const left =
        behaviour.unprocessedEvery && call % behaviour.unprocessedEvery === 0 ? items.slice(-1) : [];
      for (const it of items.slice(0, items.length - left.length)) written.push(idOf(it));
      return left;
    },
  };
  return { table, written, stats: () => ({ calls, maxOpen }) };
}

const noSleep = () => Promise.resolve();

describe('DynamoDB loader', () => {
  it('writes every item exactly once in batches of at most 25, with bounded concurrency', async () => {
    const fake = fakeTable({ unprocessedEvery: 3, throttleFirstCalls: 2 });
    let reported = 0;
    const loader = createDynamoLoader(fake.table, {
      concurrency: 4,
      sleep: noSleep,
      onWritten: (n) => (reported += n),
    });
    for (let i = 0; i < 1003; i++) await loader.add(item(i));
    const stats = await loader.finish();
    expect(fake.written.slice().sort()).toEqual(Array.from({ length: 1003 }, (_, i) => `q-${i}`).sort());
    expect(stats.items).toBe(1003);
    expect(reported).toBe(1003);
    expect(stats.retriedItems).toBeGreaterThan(0);
    expect(stats.throttledCalls).toBe(2);
    expect(fake.stats().maxOpen).toBeLessThanOrEqual(4);
    expect(fake.stats().maxOpen).toBeGreaterThan(1);
  });

  it('gives up with ServiceUnavailableError when items stay unprocessed', async () => {
    const fake = fakeTable({ unprocessedEvery: 1 });
    const loader = createDynamoLoader(fake.table, { concurrency: 2, maxAttempts: 3, sleep: noSleep });
    for (let i = 0; i < 10; i++) await loader.add(item(i));
    await expect(loader.finish()).rejects.toBeInstanceOf(ServiceUnavailableError);
  });

  it('stops accepting items after a batch fails, and reports that failure', async () => {
    const failure = new Error('AccessDenied');
    const fake = fakeTable({ failWith: failure });
    const loader = createDynamoLoader(fake.table, { concurrency: 1, sleep: noSleep });
    const added = (async () => {
      for (let i = 0; i < 500; i++) await loader.add(item(i));
    })();
    await expect(added).rejects.toBe(failure);
    await expect(loader.finish()).rejects.toBe(failure);
    expect(fake.stats().calls).toBeLessThan(5);
  });
});

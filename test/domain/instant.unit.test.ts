import { isoInstant, normalizeInstant, normalizeInstantBytes } from '../../src/domain/instant';
import { isValidIsbn13, isValidIsbn13Bytes } from '../../src/domain/isbn';
import { createRandom } from '../../src/seed/random';

/** What the byte reader gives for `text`, placed mid-buffer as in a scan page. */
function fromBytes(text: string): string | undefined {
  const bytes = Buffer.from(`{"S":"${text}"}`);
  return normalizeInstantBytes(bytes, 6, bytes.length - 2);
}

describe('normalizeInstant', () => {
  it.each([
    ['2024-05-16T10:15:00+09:00', '2024-05-16T01:15:00.000Z'],
    ['2024-05-16T21:04:05.120-05:30', '2024-05-17T02:34:05.120Z'],
    ['2024-05-16T10:15Z', '2024-05-16T10:15:00.000Z'],
    ['2024-05-16T10:15:00.1234+0900', '2024-05-16T01:15:00.123Z'],
    ['2024-05-16T10:15:00', null],
    ['yesterday', null],
    ['2024-05-16T10:15:60Z', null],
  ])('reads %s as %s', (text, expected) => {
    expect(normalizeInstant(text)).toBe(expected);
  });
});

describe('normalizeInstantBytes', () => {
  it('agrees with normalizeInstant wherever it answers, and answers for the shapes the producer writes', () => {
    const random = createRandom('instant-bytes');
    const pad = (n: number, width: number) => String(n).padStart(width, '0');
    const samples: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      // Fields drawn a little past their ranges, so invalid days, hours and offsets come up often.
      const date = `${pad(random.int(3) === 0 ? random.int(10_000) : 1990 + random.int(40), 4)}-${pad(random.int(14), 2)}-${pad(random.int(33), 2)}`;
      const time = `${pad(random.int(26), 2)}:${pad(random.int(62), 2)}:${pad(random.int(62), 2)}`;
      const millis = ['', `.${pad(random.int(1000), 3)}`, '.5', '.12345'][random.int(4)]!;
      const zone = ['Z', `+${pad(random.int(26), 2)}:${pad(random.int(62), 2)}`, '-09:00', '+0900', 'z', ''][
        random.int(6)
      ]!;
      samples.push(`${date}T${time}${millis}${zone}`);
    }
    samples.push(
      '2024-02-29T23:59:59.999+23:59',
      '2023-02-29T00:00:00Z',
      '2024-05-16 10:15:00Z',
      '2024-05-16T1a:15:00Z',
    );
    let answered = 0;
    for (const text of samples) {
      const fast = fromBytes(text);
      if (fast === undefined) continue;
      answered++;
      expect([text, fast]).toEqual([text, normalizeInstant(text)]);
    }
    expect(answered).toBeGreaterThan(1000);
    expect(fromBytes('2024-05-16T21:04:05.120+09:00')).toBe('2024-05-16T12:04:05.120Z');
    expect(fromBytes('2024-05-16T21:04:05Z')).toBe('2024-05-16T21:04:05.000Z');
    // Left to normalizeInstant: no offset, days past the month's end, years V8 reads differently.
    expect(fromBytes('2024-05-16T21:04:05.120')).toBeUndefined();
    expect(fromBytes('2024-02-30T00:00:00Z')).toBeUndefined();
    expect(fromBytes('0024-01-01T00:00:00Z')).toBeUndefined();
  });
});

describe('isoInstant', () => {
  it('writes what toISOString writes, for instants of the same day, of alternating days and of any year', () => {
    const random = createRandom('iso-instant');
    const day = Date.UTC(2024, 4, 16);
    const instants = [
      ...Array.from({ length: 2000 }, () => day + Math.floor(random.next() * 86_400_000)),
      ...Array.from({ length: 2000 }, (_, i) => day + (i % 2) * 86_400_000 + i),
      ...Array.from({ length: 2000 }, () => Math.floor((random.next() - 0.5) * 2 * 8.64e15)),
      day - 1,
      day + 86_400_000 - 1,
      0,
      -1,
      Date.UTC(0, 0, 1) - 1,
      Date.UTC(9999, 11, 31, 23, 59, 59, 999),
      Date.UTC(9999, 11, 31, 23, 59, 59, 999) + 1,
    ];
    for (const ms of instants) expect([ms, isoInstant(ms)]).toEqual([ms, new Date(ms).toISOString()]);
    expect(isoInstant(1.5)).toBe(new Date(1.5).toISOString());
    expect(() => isoInstant(Number.NaN)).toThrow(RangeError);
  });
});

describe('isValidIsbn13Bytes', () => {
  it('agrees with isValidIsbn13', () => {
    const random = createRandom('isbn-bytes');
    for (let i = 0; i < 20_000; i++) {
      const length = 12 + random.int(3);
      let text = random.int(2) === 0 ? '979' : '978';
      while (text.length < length) text += String(random.int(10));
      if (random.int(20) === 0) text = text.slice(0, 5) + 'x' + text.slice(6);
      const bytes = Buffer.from(`"${text}"`);
      expect([text, isValidIsbn13Bytes(bytes, 1, bytes.length - 1)]).toEqual([text, isValidIsbn13(text)]);
    }
    expect(isValidIsbn13Bytes(Buffer.from('9791163030645'), 0, 13)).toBe(true);
  });
});

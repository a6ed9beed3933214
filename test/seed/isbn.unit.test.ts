import { attachParticles } from '../../src/seed/catalogue';
import { isbn13CheckDigit, isValidIsbn13, randomIsbn13 } from '../../src/seed/isbn';
import { createRandom, randomUuid, WeightedPicker } from '../../src/seed/random';

describe('ISBN-13', () => {
  it('computes check digits of real Korean ISBNs (the seed example item)', () => {
    for (const isbn of ['9791163030645', '9791186710340', '9788956748245', '9780306406157']) {
      expect(isbn13CheckDigit(isbn.slice(0, 12))).toBe(Number(isbn[12]));
      expect(isValidIsbn13(isbn)).toBe(true);
    }
  });

  it('rejects a wrong check digit, a wrong prefix, hyphens and short strings', () => {
    for (const bad of [
      '9788956748246',
      '9778956748245',
      '978-89-5674-824-5',
      '978895674824',
      'abcdefghijklm',
      '',
    ]) {
      expect(isValidIsbn13(bad)).toBe(false);
    }
  });

  it('agrees with the rule written plainly (978/979, 13 digits, check digit) on valid and near-miss strings', () => {
    const plainly = (v: string) =>
      /^97[89]\d{10}$/.test(v) && isbn13CheckDigit(v.slice(0, 12)) === Number(v[12]);
    const random = createRandom('isbn-rule');
    const candidates = Array.from({ length: 2000 }, (_, i) => {
      const isbn = randomIsbn13(random, i % 3 === 0);
      const at = random.uint32() % 13;
      // Valid ones, and ones with one character swapped for a digit, a letter or a non-ASCII digit.
      const swap = ['0', '7', 'x', '٣', '/', ':'][i % 6]!;
      return i % 2 === 0 ? isbn : isbn.slice(0, at) + swap + isbn.slice(at + 1);
    });
    expect(candidates.filter((c) => isValidIsbn13(c) !== plainly(c))).toEqual([]);
    expect(candidates.some((c) => !isValidIsbn13(c))).toBe(true);
  });

  it('generates only valid ISBNs in the Korean or English-area groups', () => {
    const random = createRandom('isbn');
    const isbns = Array.from({ length: 5000 }, (_, i) => randomIsbn13(random, i % 5 === 0));
    expect(isbns.filter((i) => !isValidIsbn13(i))).toEqual([]);
    expect(isbns.filter((i, n) => n % 5 !== 0 && !/^(97889|97911)/.test(i))).toEqual([]);
    expect(isbns.filter((i, n) => n % 5 === 0 && !/^978[01]/.test(i))).toEqual([]);
  });
});

describe('seeded random', () => {
  it('repeats its stream for the same seed and differs for another', () => {
    const a = createRandom('s');
    const b = createRandom('s');
    const c = createRandom('t');
    const draw = (r: ReturnType<typeof createRandom>) => Array.from({ length: 50 }, () => r.uint32());
    const first = draw(a);
    expect(draw(b)).toEqual(first);
    expect(draw(c)).not.toEqual(first);
  });

  it('draws floats in [0, 1) roughly uniformly', () => {
    const r = createRandom('u');
    const buckets = new Array<number>(10).fill(0);
    let outside = 0;
    for (let i = 0; i < 100_000; i++) {
      const x = r.next();
      if (x < 0 || x >= 1) outside++;
      else buckets[Math.floor(x * 10)]!++;
    }
    expect(outside).toBe(0);
    for (const count of buckets) expect(Math.abs(count - 10_000)).toBeLessThan(500);
  });

  it('picks weighted indices in proportion to their weights', () => {
    const r = createRandom('w');
    const picker = new WeightedPicker([1, 0, 3]);
    const counts = [0, 0, 0];
    for (let i = 0; i < 40_000; i++) counts[picker.pick(r)]!++;
    expect(counts[1]).toBe(0);
    expect(counts[2]! / counts[0]!).toBeGreaterThan(2.8);
    expect(counts[2]! / counts[0]!).toBeLessThan(3.2);
  });

  it('makes uuid4-shaped ids', () => {
    const r = createRandom('id');
    for (let i = 0; i < 1000; i++) {
      expect(randomUuid(r)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
  });
});

describe('Korean particles in titles', () => {
  it('follow the final sound of the word before them', () => {
    expect(attachParticles('달{과} 바람')).toBe('달과 바람');
    expect(attachParticles('바다{과} 별')).toBe('바다와 별');
    expect(attachParticles('고양이{이} 좋아')).toBe('고양이가 좋아');
    expect(attachParticles('섬{을} 기다리는 밤')).toBe('섬을 기다리는 밤');
    expect(attachParticles('바다{로} 가는 길')).toBe('바다로 가는 길');
    expect(attachParticles('달{로} 가는 길')).toBe('달로 가는 길');
    expect(attachParticles('숲{로} 가는 길')).toBe('숲으로 가는 길');
  });
});

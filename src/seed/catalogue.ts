import { ENGLISH_AUTHORS, FOREIGN_AUTHORS, GIVEN_NAMES, SURNAMES } from './data/names';
import { TITLE_NOUNS, TOPICS, type Subject, type Topic } from './data/topics';
import { randomIsbn13 } from './isbn';
import { createRandom, WeightedPicker, type Random } from './random';

/** One `book_info` row, plus the tags searches find it by. */
export interface Book {
  readonly isbn13: string;
  readonly bookname: string;
  readonly authors: string;
  readonly publisher: string;
  /** KDC class number, e.g. `005.133`. */
  readonly classNo: string;
  /** `YYYY-MM-DD`. */
  readonly regDate: string;
  readonly bookImageUrl: string;
  readonly topic: string;
  /** `topic` and `topic/subject`. */
  readonly tags: readonly string[];
}

/** The books carrying one tag, drawn in proportion to how popular each book is. */
export interface TagPool {
  readonly bookIndices: readonly number[];
  readonly picker: WeightedPicker;
}

export interface Catalogue {
  readonly books: readonly Book[];
  readonly byTag: ReadonlyMap<string, TagPool>;
}

export const MIN_CATALOGUE_SIZE = 200;

/** Registration dates are spread over this range, independent of the seeded days. */
const REG_DATE_FROM = Date.UTC(2005, 0, 1);
const REG_DATE_TO = Date.UTC(2024, 11, 31);

/**
 * A deterministic catalogue of `size` books over every topic. It depends only on `seed` and `size`,
 * so item generation with any `--items`/`--days` refers to the same books.
 */
export function generateCatalogue(seed: string, size: number): Catalogue {
  if (!Number.isInteger(size) || size < MIN_CATALOGUE_SIZE) {
    throw new Error(`catalogue size must be a whole number of at least ${MIN_CATALOGUE_SIZE}`);
  }
  const random = createRandom(`${seed}/catalogue`);
  const counts = apportion(
    size,
    TOPICS.map((t) => t.share),
  );
  const books: Book[] = [];
  const popularity: number[] = [];
  const isbns = new Set<string>();
  TOPICS.forEach((topic, t) => {
    for (let i = 0; i < counts[t]!; i++) {
      // Round-robin over subjects so every subject (and so every keyword's tag) has books.
      const subject = topic.subjects[i % topic.subjects.length]!;
      const book = makeBook(random, topic, subject, isbns);
      isbns.add(book.isbn13);
      books.push(book);
      // Log-normal popularity: a few bestsellers are returned far more often than the rest.
      popularity.push(Math.exp(1.3 * gaussian(random)));
    }
  });
  return { books, byTag: indexByTag(books, popularity) };
}

function makeBook(random: Random, topic: Topic, subject: Subject, taken: ReadonlySet<string>): Book {
  const translated = random.chance(topic.translatedShare);
  const englishOriginal =
    translated && topic.englishTitles.length > 0 && random.chance(topic.englishOriginalShare);
  let isbn13: string;
  do isbn13 = randomIsbn13(random, englishOriginal);
  while (taken.has(isbn13));
  const template = random.pick(englishOriginal ? topic.englishTitles : topic.titles);
  const authors = englishOriginal
    ? random.pick(ENGLISH_AUTHORS[topic.authorKind])
    : translated
      ? `${random.pick(FOREIGN_AUTHORS[topic.authorKind])} 지음; ${koreanName(random)} 옮김`
      : random.chance(0.15)
        ? `${koreanName(random)}, ${koreanName(random)} 지음`
        : `${koreanName(random)} 지음`;
  return {
    isbn13,
    bookname: fillTitle(random, template, subject),
    authors,
    publisher: englishOriginal ? "O'Reilly Media" : random.pick(topic.publishers),
    classNo: random.pick(topic.classNos),
    regDate: new Date(
      REG_DATE_FROM + random.int(Math.floor((REG_DATE_TO - REG_DATE_FROM) / 86_400_000)) * 86_400_000,
    )
      .toISOString()
      .slice(0, 10),
    bookImageUrl: `https://image.libreport.local/cover/${isbn13}.jpg`,
    topic: topic.id,
    tags: [topic.id, `${topic.id}/${subject.id}`],
  };
}

function koreanName(random: Random): string {
  return random.pick(SURNAMES).ko + random.pick(GIVEN_NAMES).ko;
}

function fillTitle(random: Random, template: string, subject: Subject): string {
  const filled = template
    .replace('{s}', subject.ko)
    .replace('{e}', subject.en)
    .replace('{a}', random.pick(TITLE_NOUNS))
    .replace('{b}', random.pick(TITLE_NOUNS))
    .replace('{n}', String(random.between(2, 5)))
    .replace('{k}', String(random.pick([7, 21, 30, 50, 66, 100, 365])));
  return attachParticles(filled);
}

/** Picks 과/와, 을/를, 이/가, 으로/로 by whether the preceding Hangul syllable ends in a consonant. */
export function attachParticles(text: string): string {
  return text.replace(/(.)\{(과|을|이|로)\}/gu, (_, before: string, particle: string) => {
    const code = before.codePointAt(0)!;
    const isSyllable = code >= 0xac00 && code <= 0xd7a3;
    const final = isSyllable ? (code - 0xac00) % 28 : -1;
    // Non-Hangul words (SQL, AWS) are read with a final consonant often enough; take that form.
    const hasFinal = isSyllable ? final !== 0 : true;
    const forms: Record<string, [string, string]> = {
      과: ['과', '와'],
      을: ['을', '를'],
      이: ['이', '가'],
      로: ['으로', '로'],
    };
    const [withFinal, withoutFinal] = forms[particle]!;
    // ㄹ (final index 8) takes 로, not 으로.
    const form = particle === '로' && final === 8 ? withoutFinal : hasFinal ? withFinal : withoutFinal;
    return before + form;
  });
}

function indexByTag(books: readonly Book[], popularity: readonly number[]): Map<string, TagPool> {
  const members = new Map<string, number[]>();
  books.forEach((book, i) => {
    for (const tag of book.tags) {
      const list = members.get(tag) ?? [];
      list.push(i);
      members.set(tag, list);
    }
  });
  const pools = new Map<string, TagPool>();
  for (const [tag, bookIndices] of members) {
    pools.set(tag, { bookIndices, picker: new WeightedPicker(bookIndices.map((i) => popularity[i]!)) });
  }
  return pools;
}

/** Splits `total` in proportion to `weights` (largest remainder), so the parts add up exactly. */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (total * w) / sum);
  const parts = exact.map(Math.floor);
  let left = total - parts.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => ({ i, r: x - Math.floor(x) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (let j = 0; left > 0; j = (j + 1) % order.length, left--) parts[order[j]!.i] += 1;
  return parts;
}

/** A standard normal draw (Box–Muller). */
export function gaussian(random: Random): number {
  const u = 1 - random.next();
  const v = random.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

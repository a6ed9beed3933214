import { isbn13CheckDigit } from '../domain/isbn';
import type { Random } from './random';

export { isbn13CheckDigit, isValidIsbn13 } from '../domain/isbn';

/**
 * Registration groups books are drawn from: Korea (978-89, 979-11) for Korean books, the English
 * language area (978-0, 978-1) for some originals.
 */
const KOREAN_PREFIXES = ['97889', '97911'] as const;
const ENGLISH_PREFIXES = ['9780', '9781'] as const;

/** A random valid ISBN-13 in a Korean (or, when `english`, an English-area) registration group. */
export function randomIsbn13(random: Random, english = false): string {
  const prefix = random.pick(english ? ENGLISH_PREFIXES : KOREAN_PREFIXES);
  let body = prefix;
  while (body.length < 12) body += String(random.int(10));
  return body + String(isbn13CheckDigit(body));
}

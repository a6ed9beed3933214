import type { Random } from './random';

/** The ISBN-13 check digit for its first 12 digits (weights 1,3,1,3,…; result 0–9). */
export function isbn13CheckDigit(first12: string): number {
  if (!/^\d{12}$/.test(first12)) throw new Error(`"${first12}" is not 12 digits`);
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += (first12.charCodeAt(i) - 48) * (i % 2 === 0 ? 1 : 3);
  return (10 - (sum % 10)) % 10;
}

/** Whether `value` is a 13-digit ISBN with a 978/979 prefix and a correct check digit. */
export function isValidIsbn13(value: string): boolean {
  return /^97[89]\d{10}$/.test(value) && isbn13CheckDigit(value.slice(0, 12)) === Number(value[12]);
}

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

/** The ISBN-13 check digit for its first 12 digits (weights 1,3,1,3,…; result 0–9). */
export function isbn13CheckDigit(first12: string): number {
  if (!/^\d{12}$/.test(first12)) throw new Error(`"${first12}" is not 12 digits`);
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += (first12.charCodeAt(i) - 48) * (i % 2 === 0 ? 1 : 3);
  return (10 - (sum % 10)) % 10;
}

/** Whether `value` is an ISBN-13 as book search results carry them: 13 digits, 978/979, valid check digit. */
export function isValidIsbn13(value: string): boolean {
  // One pass over the characters: every search result's ISBNs are checked, ten million a day.
  if (value.length !== 13 || value.charCodeAt(0) !== 57 || value.charCodeAt(1) !== 55) return false;
  const third = value.charCodeAt(2);
  if (third !== 56 && third !== 57) return false;
  let sum = 0;
  for (let i = 0; i < 13; i++) {
    const digit = value.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return false;
    sum += i === 12 ? 0 : digit * (i % 2 === 0 ? 1 : 3);
  }
  return (10 - (sum % 10)) % 10 === value.charCodeAt(12) - 48;
}

/** `isValidIsbn13` for the UTF-8 bytes `start…end` of `bytes`, so a scan page's ISBNs are checked without strings. */
export function isValidIsbn13Bytes(bytes: Uint8Array, start: number, end: number): boolean {
  if (end - start !== 13 || bytes[start] !== 57 || bytes[start + 1] !== 55) return false;
  const third = bytes[start + 2];
  if (third !== 56 && third !== 57) return false;
  let sum = 0;
  for (let i = 0; i < 13; i++) {
    const digit = bytes[start + i]! - 48;
    if (digit < 0 || digit > 9) return false;
    sum += i === 12 ? 0 : digit * (i % 2 === 0 ? 1 : 3);
  }
  return (10 - (sum % 10)) % 10 === bytes[start + 12]! - 48;
}

/** The ISBN-13 check digit for its first 12 digits (weights 1,3,1,3,…; result 0–9). */
export function isbn13CheckDigit(first12: string): number {
  if (!/^\d{12}$/.test(first12)) throw new Error(`"${first12}" is not 12 digits`);
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += (first12.charCodeAt(i) - 48) * (i % 2 === 0 ? 1 : 3);
  return (10 - (sum % 10)) % 10;
}

/** Whether `value` is an ISBN-13 as book search results carry them: 13 digits, 978/979, valid check digit. */
export function isValidIsbn13(value: string): boolean {
  return /^97[89]\d{10}$/.test(value) && isbn13CheckDigit(value.slice(0, 12)) === value.charCodeAt(12) - 48;
}

/** Whether `value` is an ISBN-13 as book search results carry them: 13 digits, 978/979, valid check digit. */
export function isValidIsbn13(value: string): boolean {
  if (!/^97[89]\d{10}$/.test(value)) return false;
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += (value.charCodeAt(i) - 48) * (i % 2 === 0 ? 1 : 3);
  return (10 - (sum % 10)) % 10 === value.charCodeAt(12) - 48;
}

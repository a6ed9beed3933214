/** One field of a CSV row for `copyIn`: `null` loads as SQL NULL, '' as an empty string. */
export type CopyValue = string | number | boolean | null;

/**
 * Where rendered reports (HTML, chart images) are kept after a run, so a report can be re-sent or
 * inspected without rebuilding it. `localReportStore` writes files; `s3ReportStore` writes objects.
 */
export interface ReportStore {
  /**
   * Stores `body` under `key` (a relative path such as `2024-05-01/report.html`), replacing what was
   * there, and returns where it landed: a file path or an `s3://` URI.
   */
  put(key: string, body: Buffer | string, contentType: string): Promise<string>;
  /** The bytes stored under `key`, or null when nothing is. */
  get(key: string): Promise<Buffer | null>;
}

/**
 * Checks that a key is a plain relative path (letters, digits, `.`, `_`, `-` between slashes, no
 * `.`/`..` segments), so a key can never escape the store's folder or prefix.
 */
export function reportKey(key: string): string {
  const segments = key.split('/');
  const valid =
    key.length > 0 &&
    key.length <= 512 &&
    segments.every((segment) => /^[A-Za-z0-9._-]+$/.test(segment) && segment !== '.' && segment !== '..');
  if (!valid) {
    throw new RangeError(`"${key}" is not a report key (a relative path of letters, digits, . _ - and /)`);
  }
  return key;
}

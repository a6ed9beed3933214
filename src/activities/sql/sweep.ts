/** What `sweepSegment` runs to file undated items in `dw.quarantine`. Every value is a numbered parameter. */

/**
 * Taken before a sweep page replaces undated quarantine rows: day loads delete and insert undated rows too,
 * so one writer at a time. PostgreSQL's SHARE ROW EXCLUSIVE conflicts with itself but lets readers read.
 */
export function lockQuarantine(dialect: 'postgres' | 'redshift'): string {
  return dialect === 'postgres'
    ? 'LOCK TABLE dw.quarantine IN SHARE ROW EXCLUSIVE MODE'
    : 'LOCK dw.quarantine';
}

/**
 * Deletes the undated quarantine rows of `count` items by query id (`$1…$count`), so a swept item is filed
 * once however often it is swept.
 */
export function deleteUndatedByKeys(count: number): string {
  const keys = Array.from({ length: count }, (_, i) => `$${i + 1}`).join(', ');
  return `DELETE FROM dw.quarantine WHERE source LIKE 'dynamodb.%' AND query_date IS NULL AND source_key IN (${keys})`;
}

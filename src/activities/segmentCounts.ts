/** What one segment saw and wrote. Counts, never rows, travel back to the workflow. */
export interface SegmentCounts {
  /** Items DynamoDB read (and billed) for these pages, before any filter: what the read path cost. */
  itemsRead: number;
  itemsSeen: number;
  elementsSeen: number;
  itemsQuarantined: number;
  elementsQuarantined: number;
  queries: number;
  keywords: number;
  libraries: number;
  isbns: number;
  quarantine: number;
}

export const zeroCounts = (): SegmentCounts => ({
  itemsRead: 0,
  itemsSeen: 0,
  elementsSeen: 0,
  itemsQuarantined: 0,
  elementsQuarantined: 0,
  queries: 0,
  keywords: 0,
  libraries: 0,
  isbns: 0,
  quarantine: 0,
});

import type { StatementCounts } from '../adapters/warehouse/statementCounts';
import type { SegmentResult } from './extract';
import type { RdsCounts } from './extractRds';

export interface LoadDayInput {
  readonly date: string;
  readonly runKey: string;
  readonly runId: string;
  readonly startedAt: string;
  readonly segments: readonly SegmentResult[];
  readonly rds: RdsCounts;
}

/** The day's load summary: the workflow's result and the `dw.load_audit` row. */
export interface LoadSummary {
  readonly date: string;
  readonly runId: string;
  readonly outcome: 'loaded' | 'reconciliation_failed';
  readonly source: {
    readonly items: number;
    readonly elements: number;
    readonly choices: number;
    readonly books: number;
  };
  readonly tables: {
    readonly search_query: number;
    readonly search_keyword: number;
    readonly search_library: number;
    readonly search_isbn13: number;
    readonly user_choice: number;
    readonly book_info_changed: number;
  };
  readonly quarantined: {
    readonly items: number;
    readonly elements: number;
    readonly byReason: Record<string, number>;
  };
  readonly segments: {
    readonly count: number;
    readonly pages: number;
    readonly resumed: number;
    readonly throttled: number;
  };
  /**
   * Statements and COPYs the day's load sent the warehouse: scan pages (each segment's last attempt), the RDS
   * copy and the day replace. The mart and report read afterwards are not included.
   */
  readonly warehouse: StatementCounts;
  readonly mismatches: string[];
  readonly durationMs: number;
}

import type { Row, SqlValue, Warehouse } from '../../../src/adapters/warehouse/port';
import { ServiceUnavailableError } from '../../../src/errors';

/** A Warehouse whose first transaction writing each segment's final checkpoint commits, then reports a lost connection. */
export interface LosingAckWarehouse extends Warehouse {
  /** How many commits were reported lost (one per segment at most). */
  lostAcks(): number;
}

/**
 * Simulates a connection that drops after COMMIT reached the server but before its reply reached the worker,
 * for the transaction that records a segment's last page (its `last_key` is NULL). The worker sees a
 * retryable failure although the checkpoint is durable, just as when a worker dies before reporting completion.
 */
export function losingLastCheckpointAck(inner: Warehouse): LosingAckWarehouse {
  const lost = new Set<number>();
  return {
    ...inner,
    async transaction(work) {
      let finishedSegment: number | undefined;
      const result = await inner.transaction((tx) =>
        work({
          copyIn: tx.copyIn,
          query: <R extends Row = Row>(sql: string, params?: readonly SqlValue[]) => {
            if (/^INSERT INTO dw_stage\.ck_/.test(sql) && params?.[2] === null)
              finishedSegment = Number(params[0]);
            return tx.query<R>(sql, params);
          },
        }),
      );
      if (finishedSegment !== undefined && !lost.has(finishedSegment)) {
        lost.add(finishedSegment);
        throw new ServiceUnavailableError('the warehouse dropped the connection before acknowledging COMMIT');
      }
      return result;
    },
    lostAcks: () => lost.size,
  };
}

import { ExplodedBatch } from '../src/activities/explode';
import { SEGMENT_KINDS } from '../src/activities/sql/staging';
import { createDynamoClient, dynamoSearchTable } from '../src/adapters/dynamo/dynamoSearchTable';
import type { RawItem } from '../src/adapters/dynamo/port';
import { csvLine } from '../src/adapters/warehouse/csv';
import { EncodedRows } from '../src/adapters/warehouse/encodedRows';
import type { Config } from '../src/config/config';

/** The diagnostic between the floor and the pipeline: the scan plus libreport's explode and CSV encoding, no database. */
export interface ScanExplode {
  readonly items: number;
  readonly csvBytes: number;
  readonly ms: number;
}

/**
 * Scans like the floor (all segments at once) but explodes every page with the real explode code and encodes
 * every row with the real CSV encoder, discarding the text. The gap between this and the floor is the worker's
 * own CPU; the gap between this and the pipeline's extract is staging COPY, checkpoints and Temporal.
 */
export async function measureScanExplode(
  config: Config,
  date: string,
  segments: number,
): Promise<ScanExplode> {
  const settings = {
    endpoint: config.dynamo.endpoint,
    region: config.aws.region,
    table: config.dynamo.table,
  };
  const client = createDynamoClient(settings);
  const table = dynamoSearchTable(client, settings);
  try {
    const started = performance.now();
    const perSegment = await Promise.all(
      Array.from({ length: segments }, async (_, segment) => {
        let items = 0;
        let csvBytes = 0;
        let startKey: RawItem | undefined;
        do {
          const result = await table.scanPage({
            segment,
            totalSegments: segments,
            queryDate: date,
            startKey,
          });
          const batch = new ExplodedBatch(() => new EncodedRows(csvLine));
          batch.addPage(result, date);
          for (const kind of SEGMENT_KINDS)
            for (const chunk of batch[kind].chunks()) csvBytes += chunk.length;
          items += batch.itemsSeen;
          startKey = result.lastEvaluatedKey;
        } while (startKey);
        return { items, csvBytes };
      }),
    );
    return {
      items: perSegment.reduce((n, s) => n + s.items, 0),
      csvBytes: perSegment.reduce((n, s) => n + s.csvBytes, 0),
      ms: performance.now() - started,
    };
  } finally {
    client.destroy();
  }
}

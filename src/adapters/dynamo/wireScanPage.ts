import type { QueryCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { readWirePage, type WirePage } from './wireItems';

/** The SDK's HTTP response, as much of it as this reads. */
interface HttpResponseLike {
  statusCode: number;
  headers: Record<string, string>;
  body: unknown;
}

/**
 * Reads a Scan or Query page straight from the response body.
 *
 * Why: DynamoDB's JSON already has the AttributeValue shape the port uses (`{"S": "…"}`, `{"L": […]}`), so the
 * SDK's schema-driven deserializer only walks every attribute of every item to build a second copy of the page.
 * The items stay as the response's bytes (`WireItems`), which explode reads without building objects.
 *
 * Everything else stays the SDK's: signing, retries and, for any response but a 200, error parsing.
 *
 * Makes `command` hand its page to the returned reader instead of to the SDK's deserializer. The middleware
 * sits innermost in the deserialize step, so it sees the raw response of every attempt, and the SDK's
 * deserializer, which wraps it, receives a body holding only the counts.
 */
export function readScanPageFromWire(command: ScanCommand | QueryCommand): () => WirePage {
  let page: WirePage | undefined;
  // A Query response has the same members as a Scan response (Items, Count, ScannedCount, LastEvaluatedKey).
  (command.middlewareStack as ScanCommand['middlewareStack']).add(
    (next) => async (args) => {
      const result = await next(args);
      const response = result.response as HttpResponseLike;
      if (response.statusCode !== 200) return result;
      page = readWirePage(await readBody(response.body));
      const counts = Buffer.from(JSON.stringify({ Count: page.count, ScannedCount: page.scannedCount }));
      response.body = counts;
      response.headers['content-length'] = String(counts.length);
      return result;
    },
    { step: 'deserialize', priority: 'low', name: 'libreportWireScanPage' },
  );
  return () => {
    if (!page) throw new Error('the response was not read from the wire (SDK middleware order changed?)');
    return page;
  };
}

async function readBody(body: unknown): Promise<Buffer> {
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.length);
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Buffer | string>) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

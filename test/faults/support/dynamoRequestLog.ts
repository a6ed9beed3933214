import http from 'node:http';

/** One DynamoDB call a client sent through the proxy: its operation and its JSON body. */
export interface DynamoCall {
  readonly operation: string;
  readonly body: Record<string, unknown>;
}

/**
 * A loopback HTTP proxy in front of dynalite that records every DynamoDB call passing through, so a test can
 * count what a worker process asked for (its own code cannot be wrapped from outside) even after it was killed.
 */
export interface DynamoRequestLog {
  readonly endpoint: string;
  calls(): readonly DynamoCall[];
  close(): Promise<void>;
}

export async function startDynamoRequestLog(target: string): Promise<DynamoRequestLog> {
  const upstream = new URL(target);
  const calls: DynamoCall[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const operation = String(req.headers['x-amz-target'] ?? '').replace(/^DynamoDB_\d+\./, '');
      try {
        calls.push({ operation, body: JSON.parse(body.toString('utf8')) as Record<string, unknown> });
      } catch {
        calls.push({ operation, body: {} });
      }
      const forward = http.request(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: req.headers,
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      forward.on('error', () => res.destroy());
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as import('node:net').AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls: () => calls,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

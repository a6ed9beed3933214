import { startRedshiftDataServer } from './redshiftData/server';
import { startS3Server } from './s3';

/**
 * Entry point of the stand-ins libreport implements or wraps itself, run as background processes by
 * `libreport stack up`: `serveStandIn s3 --host H --port P --directory D [--bucket B]…` and
 * `serveStandIn redshift-data --host H --port P --s3-endpoint URL [--region R]` (engine database in
 * LIBREPORT_REDSHIFT_ENGINE_URL). Runs until it is sent SIGTERM or SIGINT.
 */
async function main(argv: readonly string[]): Promise<void> {
  const [kind, ...rest] = argv;
  const option = (name: string) => {
    const i = rest.indexOf(`--${name}`);
    return i >= 0 ? rest[i + 1] : undefined;
  };
  const all = (name: string) =>
    rest.flatMap((arg, i) => (arg === `--${name}` && rest[i + 1] ? [rest[i + 1]!] : []));
  const host = option('host') ?? '127.0.0.1';
  const port = Number(option('port') ?? 0);
  let close: () => Promise<void>;
  if (kind === 's3') {
    const directory = option('directory');
    if (!directory) throw new Error('--directory is required');
    const server = await startS3Server({ directory, buckets: all('bucket'), host, port });
    close = server.close;
    console.log(`s3 stand-in listening on ${server.endpoint}`);
  } else if (kind === 'redshift-data') {
    const engineUrl = process.env.LIBREPORT_REDSHIFT_ENGINE_URL;
    const s3Endpoint = option('s3-endpoint');
    if (!engineUrl || !s3Endpoint)
      throw new Error('LIBREPORT_REDSHIFT_ENGINE_URL and --s3-endpoint are required');
    const server = await startRedshiftDataServer({
      engineUrl,
      s3Endpoint,
      region: option('region'),
      host,
      port,
    });
    close = server.close;
    console.log(`Redshift Data API stand-in listening on ${server.endpoint}`);
  } else {
    throw new Error(`unknown stand-in "${kind ?? ''}" (s3 or redshift-data)`);
  }
  const stop = () => void close().finally(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});

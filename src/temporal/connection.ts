import { readFileSync } from 'node:fs';
import { Client, Connection, type ConnectionOptions } from '@temporalio/client';
import { NativeConnection, type NativeConnectionOptions } from '@temporalio/worker';
import type { Config } from '../config/config';
import { ConfigError, ServiceUnavailableError } from '../errors';

function tlsOptions(config: Config['temporal']) {
  if (!config.tls) return undefined;
  return config.tlsCertPath && config.tlsKeyPath
    ? {
        clientCertPair: {
          crt: readPem(config.tlsCertPath, 'TEMPORAL_TLS_CERT'),
          key: readPem(config.tlsKeyPath, 'TEMPORAL_TLS_KEY'),
        },
      }
    : true;
}

function readPem(file: string, variable: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new ConfigError(
      `${variable}: cannot read "${file}" (${(error as NodeJS.ErrnoException).code}); point it at a PEM file`,
    );
  }
}

function unreachable(config: Config['temporal'], error: unknown): ServiceUnavailableError {
  const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
  return new ServiceUnavailableError(
    `Temporal is not reachable at ${config.address} (${reason}); start it with "libreport stack up" or set TEMPORAL_ADDRESS`,
  );
}

/** A client for starting and querying workflows, with TLS/mTLS or an API key when configured. */
export async function connectClient(config: Config): Promise<Client> {
  const options: ConnectionOptions = {
    address: config.temporal.address,
    tls: tlsOptions(config.temporal),
    apiKey: config.temporal.apiKey,
    connectTimeout: '5s',
  };
  try {
    const connection = await Connection.connect(options);
    return new Client({ connection, namespace: config.temporal.namespace });
  } catch (error) {
    throw unreachable(config.temporal, error);
  }
}

/** The worker's connection to the same server. */
export async function connectWorker(config: Config): Promise<NativeConnection> {
  const options: NativeConnectionOptions = {
    address: config.temporal.address,
    tls: tlsOptions(config.temporal),
    apiKey: config.temporal.apiKey,
  };
  try {
    return await NativeConnection.connect(options);
  } catch (error) {
    throw unreachable(config.temporal, error);
  }
}

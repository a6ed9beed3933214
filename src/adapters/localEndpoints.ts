/**
 * Clients pointed at the local stand-ins: they take fixed credentials (there is no AWS account to sign for),
 * while clients on AWS keep the SDK's default credential chain.
 */

/** Whether an endpoint URL is on this machine. */
export function isLocalEndpoint(endpoint: string | undefined): boolean {
  return endpoint !== undefined && /\/\/(localhost|127\.|\[::1\])/.test(endpoint);
}

/**
 * The one key pair s3rver accepts (it checks the key id even though it ignores signatures); the other local
 * stand-ins accept anything. A fresh object each time: the SDK marks the credentials object it is given.
 */
export function localCredentials(): { accessKeyId: string; secretAccessKey: string } {
  return { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
}

/** SDK client settings for an optional endpoint: local ones get credentials and, for S3, path-style URLs. */
export function endpointSettings(endpoint: string | undefined, options: { pathStyle?: boolean } = {}) {
  if (!endpoint) return {};
  return {
    endpoint,
    ...(isLocalEndpoint(endpoint) ? { credentials: localCredentials() } : {}),
    ...(options.pathStyle ? { forcePathStyle: true } : {}),
  };
}

const CONNECTION_CODES = [
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
] as const;

/**
 * The socket error code behind an AWS SDK failure, if the endpoint could not be reached. The SDK
 * sometimes re-wraps a socket error as a plain Error whose message is all that keeps the code.
 */
export function connectionErrorCode(error: unknown): string | undefined {
  const e = error as { code?: unknown; message?: unknown } | null;
  if (typeof e?.code === 'string' && (CONNECTION_CODES as readonly string[]).includes(e.code)) return e.code;
  const message = typeof e?.message === 'string' ? e.message : '';
  return CONNECTION_CODES.find((code) => message.includes(code));
}

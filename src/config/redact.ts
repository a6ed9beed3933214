/** A connection string with its password removed, safe to print or log (even when it does not parse). */
export function redactUrl(connection: string): string {
  try {
    const u = new URL(connection);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return connection.replace(/(\/\/[^:/@]*):[^@]*@/, '$1:***@');
  }
}

/** A configuration value fit for an error message: secrets hidden, passwords taken out of URLs. */
export function redact(variable: string, value: string): string {
  if (/KEY|SECRET|PASSWORD|TOKEN/.test(variable)) return '***';
  return /^[a-z]+:\/\//i.test(value) ? redactUrl(value) : value;
}

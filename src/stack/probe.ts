import net from 'node:net';
import http from 'node:http';

/** Whether something accepts a TCP connection on host:port within `timeoutMs`. */
export function canConnect(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const finish = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}

export interface HttpProbe {
  readonly method?: 'GET' | 'POST';
  readonly headers?: Record<string, string>;
  readonly body?: string;
  /** Which status codes count as "answering"; any status when omitted. */
  readonly accept?: (status: number) => boolean;
  readonly timeoutMs?: number;
}

/** Whether an HTTP server at `url` answers the request with an accepted status. */
export function httpAnswers(url: string, probe: HttpProbe = {}): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.request(
      url,
      { method: probe.method ?? 'GET', headers: probe.headers, timeout: probe.timeoutMs ?? 2000 },
      (response) => {
        response.resume();
        const status = response.statusCode ?? 0;
        resolve(probe.accept ? probe.accept(status) : status > 0);
      },
    );
    request.once('timeout', () => request.destroy(new Error('timeout')));
    request.once('error', () => resolve(false));
    request.end(probe.body);
  });
}

export interface WaitOptions {
  readonly timeoutMs: number;
  readonly intervalMs?: number;
  /** Stop early (e.g. the process we started has exited); returns why, or undefined to keep waiting. */
  readonly giveUp?: () => string | undefined;
}

/** Polls `check` until it is true; resolves false on timeout or when `giveUp` says so. */
export async function waitUntil(
  check: () => Promise<boolean>,
  options: WaitOptions,
): Promise<{ ok: boolean; reason?: string }> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    if (await check()) return { ok: true };
    const reason = options.giveUp?.();
    if (reason !== undefined) {
      // The process may have lost a race for the port to an identical server that is now answering.
      return (await check()) ? { ok: true } : { ok: false, reason };
    }
    if (Date.now() >= deadline)
      return { ok: false, reason: `no answer within ${Math.round(options.timeoutMs / 1000)} s` };
    await sleep(options.intervalMs ?? 250);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Host and port of an http(s) URL, or of a `host:port` address. */
export function hostPort(endpoint: string): { host: string; port: number } {
  if (/^[a-z]+:\/\//i.test(endpoint)) {
    const u = new URL(endpoint);
    const port = u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80;
    return { host: u.hostname.replace(/^\[|\]$/g, ''), port };
  }
  const at = endpoint.lastIndexOf(':');
  return { host: endpoint.slice(0, at).replace(/^\[|\]$/g, ''), port: Number(endpoint.slice(at + 1)) };
}

/** Whether a host name is this machine's loopback interface: only those do we start or stop. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host.startsWith('127.') || host === '::1';
}

import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { TOKEN_COOKIE } from '../../shared/contract/wire';

export const newToken = (): string => randomBytes(24).toString('base64url');

export function sameToken(expected: string, given: string | undefined | null): boolean {
  if (!given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The token from `?token=` or from the cookie set after the first authorised request. */
export function requestToken(req: IncomingMessage): { fromQuery: string | null; fromCookie: string | null } {
  const url = new URL(req.url ?? '/', 'http://x');
  return { fromQuery: url.searchParams.get('token'), fromCookie: cookie(req.headers.cookie, TOKEN_COOKIE) };
}

function cookie(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return null;
}

/**
 * Origins (and Host headers) a browser uses for this host: the listen address, plus `localhost` when
 * it is loopback. Checking Host as well stops DNS-rebinding pages from reaching the socket.
 */
export function allowedAuthorities(host: string, port: number): Set<string> {
  const names = new Set([host.includes(':') ? `[${host}]` : host]);
  if (host === '127.0.0.1' || host === '::1' || host === 'localhost') {
    names.add('127.0.0.1').add('localhost').add('[::1]');
  }
  return new Set([...names].map((name) => `${name}:${port}`));
}

export const isLoopback = (host: string): boolean =>
  host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);

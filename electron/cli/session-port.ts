/**
 * The CLI's router: a RouterLink over a real RouterSession (the same adapter the app's services use),
 * and the `--router HOST[:PORT]` parser.
 */
import { connectRouterLink, type RouterLink } from '../core/router-link';
import { isIPv6 } from 'node:net';
import { isIPv4 } from '../net/ipv4';
import type { Transport } from '../router-session';

export interface RouterAddress {
  host: string;
  port: number;
}

/** A DNS host name (RFC 1123 labels). */
const HOSTNAME =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;

/** `host`, `host:port`, `[v6]:port`. Throws with a message for people on anything else. */
export function parseRouterAddress(value: string, transport: Transport): RouterAddress {
  const fallback = transport === 'api-ssl' ? 8729 : 8728;
  const m = /^(?:\[([^\]]+)\]|([^:[\]]+))(?::(\d{1,5}))?$/.exec(value.trim());
  const host = m?.[1] ?? m?.[2];
  const port = m?.[3] === undefined ? fallback : Number(m[3]);
  // Checked before any DNS lookup: a typo is a usage error, not an unreachable router.
  const valid = host !== undefined && (m?.[1] !== undefined ? isIPv6(host) : isIPv4(host) || HOSTNAME.test(host));
  if (!m || !valid || port < 1 || port > 65535)
    throw new Error(
      `--router: “${value}” is not HOST or HOST:PORT (a host name, an IPv4 address or [IPv6], port 1–65535)`,
    );
  return { host, port };
}

export function connectRouter(opts: {
  address: RouterAddress;
  user: string;
  password: string;
  transport: Transport;
  fingerprint?: string;
  /** Connect deadline and each command's deadline (--timeout); the session's defaults when absent. */
  timeoutMs?: number;
}): Promise<RouterLink> {
  return connectRouterLink({
    ...opts.address,
    user: opts.user,
    password: opts.password,
    transport: opts.transport,
    pinnedFingerprint: opts.fingerprint ?? null,
    ...(opts.timeoutMs ? { connectTimeoutMs: opts.timeoutMs, commandTimeoutMs: opts.timeoutMs } : {}),
  });
}

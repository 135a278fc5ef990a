/*
 * A STUN server address as the user types it ("host" or "host:port"), parsed in one place: the NAT
 * settings' zod schema (shared/domains/nat.ts) and `cli nat-type --stun` / `selftest --stun`
 * (electron/stun/server-address.ts) accept exactly the same text. Pure: no node import.
 */

export interface StunServerAddress {
  host: string;
  port: number;
}

/** RFC 5389 §9: the default STUN port over UDP. */
export const STUN_PORT = 3478;

const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const HOSTNAME =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** `host`, `host:port`, `1.2.3.4:3478` → the address; anything else (IPv6, URLs, ports out of
 *  range, dotted numbers that are not an IPv4 address) → null. */
export function splitStunServer(value: string): StunServerAddress | null {
  const m = /^([^:\s]+)(?::(\d{1,5}))?$/.exec(value.trim());
  if (!m) return null;
  const host = m[1] ?? '';
  const port = m[2] === undefined ? STUN_PORT : Number(m[2]);
  const hostOk = IPV4.test(host) || (HOSTNAME.test(host) && !/^[\d.]+$/.test(host));
  return hostOk && port >= 1 && port <= 65535 ? { host, port } : null;
}

export const showServer = (s: StunServerAddress): string => `${s.host}:${s.port}`;

// Which STUN server to ask: the user's setting or `--stun HOST[:PORT]`, else the default public one.
import { isIPv4 } from 'node:net';
import { StunError } from './errors';

export interface StunServerAddress {
  host: string;
  port: number;
}

/** RFC 5389 §9: the default STUN port over UDP. */
export const STUN_PORT = 3478;

/**
 * The default public server must implement RFC 5780 (answer from a second address), which most
 * public STUN servers do not. stunserver.stunprotocol.org runs STUNTMAN, the RFC 5780 reference
 * server of its author John Selbie (github.com/jselbie/stunserver: "full mode … NAT behavior and
 * filtering detection"); it is the default of the NatTypeTester client (HMBSbige/NatTypeTester,
 * NatTypeTester.Models/Config.cs) and reported answering NAT behaviour tests over UDP and TCP
 * (pradt2/always-online-stun issue #17, 2024). Sources and an alternative: electron/stun/README.md.
 * PortPilot contacts it only after the user agreed, and the user can choose another.
 */
export const DEFAULT_STUN_SERVER: StunServerAddress = { host: 'stunserver.stunprotocol.org', port: STUN_PORT };

const HOSTNAME =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** `host`, `host:port`, `1.2.3.4:3478` → address; anything else throws StunError 'bad-argument'. */
export function parseStunServer(value: string): StunServerAddress {
  const text = value.trim();
  const m = /^([^:\s]+)(?::(\d{1,5}))?$/.exec(text);
  const host = m?.[1] ?? '';
  const port = m?.[2] === undefined ? STUN_PORT : Number(m[2]);
  const hostOk = isIPv4(host) || (HOSTNAME.test(host) && !/^[\d.]+$/.test(host));
  if (!m || !hostOk || port < 1 || port > 65535)
    throw new StunError(
      'bad-argument',
      `"${value}" is not a STUN server: give HOST or HOST:PORT, e.g. ${DEFAULT_STUN_SERVER.host}:${STUN_PORT} (IPv4 only)`,
    );
  return { host, port };
}

export const showServer = (s: StunServerAddress): string => `${s.host}:${s.port}`;

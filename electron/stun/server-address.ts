// Which STUN server to ask: the user's setting or `--stun HOST[:PORT]`, else the default public one.
import { showServer, splitStunServer, STUN_PORT, type StunServerAddress } from '../../shared/stun-server';
import { StunError } from './errors';

export { showServer, STUN_PORT, type StunServerAddress };

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

/** `host`, `host:port`, `1.2.3.4:3478` → address; anything else throws StunError 'bad-argument'. */
export function parseStunServer(value: string): StunServerAddress {
  const address = splitStunServer(value);
  if (!address)
    throw new StunError(
      'bad-argument',
      `"${value}" is not a STUN server: give HOST or HOST:PORT, e.g. ${DEFAULT_STUN_SERVER.host}:${STUN_PORT} (IPv4 only)`,
    );
  return address;
}

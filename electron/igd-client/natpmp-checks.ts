// What a NAT-PMP answer must say to count (RFC 6886), beyond what the codec can check alone: it is an
// answer to *this* request, and the gateway's epoch has not gone back. A LAN device can send any
// datagram from the gateway's address; an answer that does not fit is refused with a reason instead
// of counting as a pass (issue 18).
import { NatPmpError } from './errors';
import type { MapResponse } from '../natpmp/codec';

export interface MapRequestSent {
  internalPort: number;
  /** Seconds; 0 = delete (§3.4). */
  lifetime: number;
}

/** The lifetime a mapping really has, and what the gateway offered when that was more. */
export interface CheckedLifetime {
  lifetime: number;
  /** Set when the gateway offered more than asked; `lifetime` is then the request's. */
  offeredLifetime?: number;
}

function badAnswer(gateway: string, what: string): NatPmpError {
  return new NatPmpError(
    'bad-response',
    `the NAT-PMP gateway ${gateway} ${what}: not a valid answer to PortPilot's request (RFC 6886 §3.3), so it is ` +
      `not trusted. Check which device answers NAT-PMP (UDP 5351) on this network.`,
  );
}

/**
 * A successful map (or delete) answer checked against its request (RFC 6886 §3.3/§3.4): the same
 * internal port; on a map a non-zero external port and a lifetime above 0; on a delete external port
 * and lifetime 0. §3.3: "The NAT gateway MAY reduce the lifetime from what the client requested. The
 * NAT gateway SHOULD NOT offer a lease lifetime greater than that requested by the client." A longer
 * one (2^32-1 included) is therefore not an error, but not believed either: the mapping is taken to
 * last what was asked, and the offer is reported.
 */
export function checkMapAnswer(gateway: string, req: MapRequestSent, r: MapResponse): CheckedLifetime {
  if (r.internalPort !== req.internalPort)
    throw badAnswer(gateway, `answered for internal port ${r.internalPort} when asked about ${req.internalPort}`);
  if (req.lifetime === 0) {
    // §3.4: "an external port of 0, and a lifetime of 0".
    if (r.lifetimeSeconds !== 0)
      throw badAnswer(gateway, `answered a delete with a lifetime of ${r.lifetimeSeconds} s (the mapping still lives)`);
    return { lifetime: 0 };
  }
  if (r.externalPort === 0) throw badAnswer(gateway, 'granted a mapping on external port 0');
  if (r.lifetimeSeconds === 0) throw badAnswer(gateway, 'granted a mapping with a lifetime of 0 s (that deletes it)');
  if (r.lifetimeSeconds > req.lifetime) return { lifetime: req.lifetime, offeredLifetime: r.lifetimeSeconds };
  return { lifetime: r.lifetimeSeconds };
}

/** The gateway lost its mappings: its epoch went back (RFC 6886 §3.6). */
export interface EpochReset {
  previousEpoch: number;
  /** The least the epoch should have been by now (7/8 of the local time passed, less 2 s). */
  expectedAtLeast: number;
  epoch: number;
}

/**
 * RFC 6886 §3.6: the client expects the last epoch plus 7/8 of the time passed on its own clock; an
 * epoch more than 2 s below that means "the NAT gateway has undergone a reboot or other loss of port
 * mapping state", and the client "MUST immediately renew all its active port mapping leases" (§3.7).
 */
export class EpochWatch {
  private last: { epoch: number; at: number } | null = null;

  constructor(private readonly now: () => number) {}

  /** Remembers `epoch`; returns the reset when it went back, else null. */
  observe(epoch: number): EpochReset | null {
    const at = this.now();
    const prev = this.last;
    this.last = { epoch, at };
    if (!prev) return null;
    const expected = prev.epoch + Math.floor(((at - prev.at) / 1000) * (7 / 8));
    return epoch < expected - 2 ? { previousEpoch: prev.epoch, expectedAtLeast: expected - 2, epoch } : null;
  }
}

export function describeReset(gateway: string, r: EpochReset): string {
  return (
    `the NAT-PMP gateway ${gateway} restarted or lost its mappings: its epoch went back from ${r.previousEpoch} s ` +
    `to ${r.epoch} s (RFC 6886 §3.6), so every mapping made before is gone and must be made again`
  );
}

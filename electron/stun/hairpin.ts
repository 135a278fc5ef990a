// Hairpinning (RFC 5780 §4.5): from a second local port, send a Binding request to the public
// address the NAT gave the first one. If the NAT loops it back, the first socket receives it:
// devices on this network can then reach each other through their public addresses.
import type { HairpinningResult } from '../../shared/nat-type';
import type { StunChannel, Timings } from './channel';
import { TRANSACTION_ID_BYTES, encodeMessage } from './codec';
import { showEndpoint, type StunPorts, type UdpEndpoint } from './ports';

/** Two copies, then a wait of 4 RTOs: a looped-back packet takes no longer than a LAN round trip. */
const HAIRPIN_REQUESTS = 2;
const HAIRPIN_LAST_WAIT = 4;

export async function hairpinTest(
  ports: StunPorts,
  timings: Timings,
  listener: StunChannel,
  target: UdpEndpoint,
  evidence: string[],
): Promise<HairpinningResult> {
  const tid = ports.randomBytes(TRANSACTION_ID_BYTES);
  const request = encodeMessage({ cls: 'request', transactionId: tid });
  const socket = await ports.net.bind(0);
  try {
    const arrived = await new Promise<boolean>((resolve) => {
      let sent = 0;
      let timer: unknown;
      const done = (v: boolean): void => {
        off();
        ports.timers.clearTimeout(timer);
        resolve(v);
      };
      const off = listener.onRequest((m) => {
        if (m.transactionId.equals(tid)) done(true);
      });
      const next = (): void => {
        if (sent >= HAIRPIN_REQUESTS) return done(false);
        sent++;
        socket.send(request, target).catch(() => done(false));
        const wait = sent === HAIRPIN_REQUESTS ? timings.rtoMs * HAIRPIN_LAST_WAIT : timings.rtoMs;
        timer = ports.timers.setTimeout(next, wait);
      };
      next();
    });
    evidence.push(
      arrived
        ? `hairpinning: a request from local port ${socket.local.port} to ${showEndpoint(target)} came back to local port ${listener.socket.local.port}`
        : `hairpinning: a request from local port ${socket.local.port} to ${showEndpoint(target)} never came back: the router does not loop traffic to its public address back in`,
    );
    return arrived ? 'supported' : 'not-supported';
  } finally {
    await socket.close();
  }
}

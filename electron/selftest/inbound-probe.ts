// The STUN side of the `inbound` step: one local UDP port, a Binding request to learn the public
// address and the server's other address, then CHANGE-REQUESTs (change IP and port, RFC 5780 §7.2)
// whose answers come from an address this PC never sent to. Such an answer arriving is unsolicited
// inbound traffic from the Internet.
import { DEFAULT_TIMINGS, StunChannel, type Timings } from '../stun/channel';
import type { TransportAddress } from '../stun/codec';
import { StunError } from '../stun/errors';
import { showEndpoint, type StunPorts, type StunSocket, type UdpEndpoint } from '../stun/ports';
import type { StepOutcome } from './recorder';

/** `refused`: the server answered with an error (e.g. 420: it does not know RESPONSE-PORT). */
export type ProbeAnswer = 'arrived' | 'silent' | 'unusable' | 'refused';

export interface InboundProbe {
  /** The local UDP port the mappings must point to. */
  port: number;
  primary: UdpEndpoint;
  other: UdpEndpoint;
  publicAddress: TransportAddress;
  /** A CHANGE-REQUEST (change IP and port): did its answer come in from the other address? With
   *  `responsePort` (RFC 5780 §7.5 RESPONSE-PORT) the server answers to that public port, i.e. to the
   *  mapping itself, whatever port the NAT chose for this socket's own traffic. */
  ask(label: string, responsePort?: number): Promise<ProbeAnswer>;
  close(): Promise<void>;
}

const SERVER_NEXT =
  'Choose a STUN server that implements RFC 5780 (it must answer from a second address), or check that UDP to it is not blocked.';

/** Opens the probe, or says why the step cannot prove anything (a warning, not a failure: the
 *  mapping may work; only this server cannot show it). */
export async function openInboundProbe(
  stun: StunPorts,
  server: { host: string; port: number },
  timings: Timings = DEFAULT_TIMINGS,
  evidence: string[],
): Promise<InboundProbe | StepOutcome> {
  let address: string;
  try {
    address = await stun.net.resolve(server.host);
  } catch (e) {
    return { status: 'warn', detail: `STUN server ${server.host}: ${(e as Error).message}`, next: SERVER_NEXT };
  }
  const primary = { address, port: server.port };
  const socket = await stun.net.bind(0);
  const channel = new StunChannel(socket, stun, timings);
  const close = async (): Promise<void> => {
    channel.detach();
    await socket.close();
  };
  try {
    const t1 = await channel.binding(primary);
    evidence.push(
      `Binding to ${server.host} (${showEndpoint(primary)}) from local UDP port ${socket.local.port}: the Internet sees this PC as ${showEndpoint(t1.mapped)}`,
    );
    const o = t1.otherAddress;
    if (!o || o.address === primary.address) {
      await close();
      return {
        status: 'warn',
        detail: `${server.host} has no second address (no OTHER-ADDRESS, RFC 5780): inbound traffic could not be tested`,
        next: SERVER_NEXT,
      };
    }
    const other = { address: o.address, port: o.port };
    evidence.push(`the server's other address is ${showEndpoint(other)}`);
    return {
      port: socket.local.port,
      primary,
      other,
      publicAddress: t1.mapped,
      ask: makeAsk(channel, primary, other, socket, evidence),
      close,
    };
  } catch (e) {
    await close();
    if (!(e instanceof StunError)) throw e;
    return { status: 'warn', detail: `the STUN server ${server.host} did not answer: ${e.message}`, next: SERVER_NEXT };
  }
}

function makeAsk(
  channel: StunChannel,
  primary: UdpEndpoint,
  other: UdpEndpoint,
  socket: StunSocket,
  evidence: string[],
): (label: string, responsePort?: number) => Promise<ProbeAnswer> {
  return async (label, responsePort) => {
    try {
      const a = await channel.binding(primary, {
        change: { changeIp: true, changePort: true },
        responsePort,
        acceptFrom: () => true,
      });
      if (a.from.address === other.address && a.from.port === other.port) {
        evidence.push(`${label}: the answer from ${showEndpoint(a.from)} reached local UDP port ${socket.local.port}`);
        return 'arrived';
      }
      evidence.push(
        `${label}: the server answered from ${showEndpoint(a.from)} instead of ${showEndpoint(other)}: it ignores CHANGE-REQUEST`,
      );
      return 'unusable';
    } catch (e) {
      if (!(e instanceof StunError)) throw e;
      evidence.push(`${label}: ${e.code === 'timeout' ? `nothing came in from ${showEndpoint(other)}` : e.message}`);
      if (e.code === 'timeout') return 'silent';
      return e.code === 'error-response' ? 'refused' : 'unusable';
    }
  };
}

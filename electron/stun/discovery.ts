// NAT behaviour discovery from this PC (RFC 5780 §4): mapping tests I/II/III (§4.3) from one local
// port, filtering tests with CHANGE-REQUEST (§4.4) from a second, fresh local port, and hairpinning
// (§4.5). Whatever a server cannot test (no OTHER-ADDRESS, a CHANGE-REQUEST it ignores or refuses)
// is reported as not measured, with the reason; what can be measured still is.
import type { MappingBehaviour, NatMeasurement, PortAllocation } from '../../shared/nat-type';
import { DEFAULT_TIMINGS, StunChannel, type BindingAnswer, type Timings } from './channel';
import { StunError } from './errors';
import { hairpinTest } from './hairpin';
import { sameEndpoint, showEndpoint, type StunPorts, type StunSocket, type UdpEndpoint } from './ports';

export interface DiscoveryOptions {
  host: string;
  port: number;
  timings?: Timings;
  /** false: skip the hairpinning test. */
  hairpin?: boolean;
}

interface Run {
  ports: StunPorts;
  timings: Timings;
  primary: UdpEndpoint;
  m: NatMeasurement;
  sockets: StunSocket[];
  channels: StunChannel[];
}

const describeAnswer = (a: BindingAnswer): string =>
  [
    `mapped ${showEndpoint(a.mapped)}`,
    a.otherAddress ? `OTHER-ADDRESS ${showEndpoint(a.otherAddress)}` : 'no OTHER-ADDRESS',
    a.responseOrigin ? `RESPONSE-ORIGIN ${showEndpoint(a.responseOrigin)}` : '',
    a.software ? `SOFTWARE "${a.software}"` : '',
  ]
    .filter(Boolean)
    .join(', ');

async function openChannel(r: Run): Promise<StunChannel> {
  const socket = await r.ports.net.bind(0);
  r.sockets.push(socket);
  const ch = new StunChannel(socket, r.ports, r.timings);
  r.channels.push(ch);
  return ch;
}

/** Test I (§4.3): a plain Binding request to the primary address. Without an answer nothing else
 *  can be measured, so it throws. */
async function testOne(r: Run, ch: StunChannel, label: string): Promise<BindingAnswer> {
  try {
    const a = await ch.binding(r.primary);
    r.m.evidence.push(
      `${label}: Binding to ${showEndpoint(r.primary)} from local port ${ch.socket.local.port} → ${describeAnswer(a)}`,
    );
    return a;
  } catch (e) {
    if (e instanceof StunError && e.code === 'timeout') {
      const ignored = ch.ignored.length ? ` (ignored: ${ch.ignored.join('; ')})` : '';
      throw new StunError(
        'timeout',
        `the STUN server ${r.m.server.host}:${r.primary.port} (${r.primary.address}) did not answer: ${e.message}${ignored}. Check that UDP to port ${r.primary.port} is not blocked, or choose another STUN server.`,
      );
    }
    throw e;
  }
}

/** The server's second address, or null (and why mapping and filtering cannot be tested; the
 *  mapping is known without it when there is no NAT). */
function otherEndpoint(r: Run, t1: BindingAnswer, noNat: boolean): UdpEndpoint | null {
  const o = t1.otherAddress;
  const cannot = (mappingWhy: string, filteringWhy: string): null => {
    if (!noNat) r.m.notMeasured.push({ aspect: 'mapping', why: mappingWhy });
    r.m.notMeasured.push({ aspect: 'filtering', why: filteringWhy });
    return null;
  };
  const host = r.m.server.host;
  if (!o)
    return cannot(
      `${host} sent no OTHER-ADDRESS: it does not implement RFC 5780, so it cannot be reached at a second address`,
      `${host} sent no OTHER-ADDRESS: it cannot answer from another address (RFC 5780)`,
    );
  if (o.family !== 4 || o.address === r.primary.address || o.port === r.primary.port) {
    const why = `the server's OTHER-ADDRESS ${showEndpoint(o)} is not a second IPv4 address and port beside ${showEndpoint(r.primary)}`;
    return cannot(why, why);
  }
  return { address: o.address, port: o.port };
}

function allocation(local: number, ports: number[]): PortAllocation {
  if (ports.length === 0) return 'unknown';
  if (ports.includes(local)) return 'preserving';
  const distinct = [...new Set(ports)];
  if (distinct.length < 2) return 'unknown';
  // New mappings a few ports apart: the next one can be guessed (Switch "C"), unlike random ports.
  const deltas = distinct.slice(1).map((p, i) => Math.abs(p - (distinct[i] ?? p)));
  return deltas.every((d) => d > 0 && d <= 16) ? 'sequential' : 'random';
}

/** Tests II and III (§4.3) from the socket of test I. */
async function mappingTests(r: Run, ch: StunChannel, t1: BindingAnswer, other: UdpEndpoint): Promise<MappingBehaviour> {
  const x1 = t1.mapped;
  const ask = async (to: UdpEndpoint, label: string): Promise<BindingAnswer | null> => {
    try {
      const a = await ch.binding(to);
      r.m.evidence.push(`${label}: Binding to ${showEndpoint(to)} → mapped ${showEndpoint(a.mapped)}`);
      return a;
    } catch (e) {
      if (!(e instanceof StunError)) throw e;
      r.m.notMeasured.push({
        aspect: 'mapping',
        why: `${label} to the server's other address ${showEndpoint(to)} failed: ${e.message}`,
      });
      return null;
    }
  };
  const t2 = await ask({ address: other.address, port: r.primary.port }, 'mapping test II');
  if (!t2) return 'not-measured';
  if (sameEndpoint(t2.mapped, x1)) return 'endpoint-independent';
  const t3 = await ask(other, 'mapping test III');
  if (!t3) return 'not-measured';
  r.m.portAllocation = allocation(ch.socket.local.port, [x1.port, t2.mapped.port, t3.mapped.port]);
  return sameEndpoint(t3.mapped, t2.mapped) ? 'address-dependent' : 'address-and-port-dependent';
}

type ChangeOutcome = 'answered' | 'silent' | 'unusable';

/** One CHANGE-REQUEST: the answer must come from where RFC 5780 §7.2 says, or it proves nothing. */
async function changeTest(
  r: Run,
  ch: StunChannel,
  label: string,
  changeIp: boolean,
  valid: (from: UdpEndpoint) => boolean,
): Promise<ChangeOutcome> {
  try {
    const a = await ch.binding(r.primary, { change: { changeIp, changePort: true }, acceptFrom: () => true });
    if (valid(a.from)) {
      r.m.evidence.push(`${label}: the answer came from ${showEndpoint(a.from)}`);
      return 'answered';
    }
    r.m.notMeasured.push({
      aspect: 'filtering',
      why: `${label}: the server answered from ${showEndpoint(a.from)}, not from the ${changeIp ? 'other address and port' : 'other port'} it was asked for: it ignores CHANGE-REQUEST`,
    });
    return 'unusable';
  } catch (e) {
    if (!(e instanceof StunError)) throw e;
    if (e.code === 'timeout') {
      r.m.evidence.push(`${label}: no answer (${e.message})`);
      return 'silent';
    }
    r.m.notMeasured.push({ aspect: 'filtering', why: `${label}: ${e.message}` });
    return 'unusable';
  }
}

/** Filtering tests (§4.4) from a fresh local port: the mapping tests above already sent to the
 *  other address, which would open an address-dependent filter and fake endpoint independence. */
async function filteringTests(r: Run): Promise<void> {
  const ch = await openChannel(r);
  await testOne(r, ch, 'filtering test I');
  const [ipAndPort, portOnly] = await Promise.all([
    changeTest(
      r,
      ch,
      'filtering test II (change IP and port)',
      true,
      (f) => f.address !== r.primary.address && f.port !== r.primary.port,
    ),
    changeTest(
      r,
      ch,
      'filtering test III (change port)',
      false,
      (f) => f.address === r.primary.address && f.port !== r.primary.port,
    ),
  ]);
  if (ipAndPort === 'answered') r.m.filtering = 'endpoint-independent';
  else if (ipAndPort === 'unusable') r.m.filtering = 'not-measured';
  else if (portOnly === 'answered') r.m.filtering = 'address-dependent';
  else if (portOnly === 'silent') r.m.filtering = 'address-and-port-dependent';
}

/** Measures mapping, filtering and hairpinning against one STUN server. Throws StunError when the
 *  server does not answer at all ('timeout') or its name does not resolve ('resolve-failed'). */
export async function discoverNat(ports: StunPorts, o: DiscoveryOptions): Promise<NatMeasurement> {
  const address = await ports.net.resolve(o.host);
  const r: Run = {
    ports,
    timings: o.timings ?? DEFAULT_TIMINGS,
    primary: { address, port: o.port },
    sockets: [],
    channels: [],
    m: {
      server: { host: o.host, port: o.port, address },
      rfc5780: false,
      otherAddress: null,
      publicAddress: null,
      mapping: 'not-measured',
      filtering: 'not-measured',
      hairpinning: 'not-measured',
      portAllocation: 'unknown',
      notMeasured: [],
      evidence: [],
    },
  };
  try {
    await measure(r, o);
    return r.m;
  } finally {
    for (const ch of r.channels) ch.detach();
    await Promise.all(r.sockets.map((s) => s.close()));
  }
}

async function measure(r: Run, o: DiscoveryOptions): Promise<void> {
  const ch = await openChannel(r);
  const t1 = await testOne(r, ch, 'mapping test I');
  r.m.publicAddress = showEndpoint(t1.mapped);
  if (t1.software) r.m.server.software = t1.software;
  const local = ch.socket.local.port;
  if (t1.mapped.port === local) r.m.portAllocation = 'preserving';
  const noNat = r.ports.net.localAddresses().includes(t1.mapped.address) && t1.mapped.port === local;
  const other = otherEndpoint(r, t1, noNat);
  r.m.rfc5780 = other !== null;
  r.m.otherAddress = other ? showEndpoint(other) : null;
  if (noNat) {
    r.m.mapping = 'no-nat';
    r.m.evidence.push(`the server saw this PC's own address ${showEndpoint(t1.mapped)}: there is no NAT on the way`);
  } else if (other) r.m.mapping = await mappingTests(r, ch, t1, other);
  if (other) await filteringTests(r);
  if (o.hairpin === false) r.m.notMeasured.push({ aspect: 'hairpinning', why: 'not asked for' });
  else if (noNat) r.m.notMeasured.push({ aspect: 'hairpinning', why: 'there is no NAT to loop back through' });
  else r.m.hairpinning = await hairpinTest(r.ports, r.timings, ch, t1.mapped, r.m.evidence);
}

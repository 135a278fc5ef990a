// The `inbound` step (issue 12): "Test from this PC" proved that the router creates a mapping; this
// proves that the Internet can use it. Map a UDP port over UPnP (and over NAT-PMP), ask a STUN
// server to answer from its other address and port (RFC 5780 CHANGE-REQUEST), and see whether that
// unsolicited answer reaches this PC. When it does not, say why with evidence: double NAT (the
// mapping is on this router, but the Internet sees another address) or something after the router
// (this PC's firewall). Every mapping is removed again, by this step or by the engine's cleanup.
import { natTypeTerms, verdictFromBehaviour } from '../../shared/nat-type';
import { IgdSoapFault } from '../igd-client/errors';
import { DOUBLE_NAT_NEXT, type InboundMapping, type RunContext } from './context';
import { openInboundProbe, type InboundProbe, type ProbeAnswer } from './inbound-probe';
import { describeError, type StepOutcome } from './recorder';
import { firewallAdvice, firewallFinding } from './firewall-advice';

type Via = InboundMapping['via'];
interface Tried {
  via: Via;
  answer: ProbeAnswer | 'not-mapped';
}

const VIA_NAME: Record<Via, string> = { upnp: 'UPnP', 'nat-pmp': 'NAT-PMP' };
/** Like the other test mappings: expires by itself where leases are honoured (RouterOS: 0 only). */
const LEASE_SECONDS = 600;

function mechanisms(c: RunContext): Via[] {
  const out: Via[] = [];
  if (c.igd && c.localIp) out.push('upnp');
  const nat = c.rec.step('natpmp-map').status;
  if (c.natClient && (nat === 'pass' || nat === 'warn')) out.push('nat-pmp');
  return out;
}

async function addUpnp(c: RunContext, port: number, evidence: string[]): Promise<InboundMapping | null> {
  const igd = c.igd;
  if (!igd || !c.localIp) return null;
  const request = {
    externalPort: port,
    protocol: 'UDP' as const,
    internalPort: port,
    internalClient: c.localIp,
    description: c.description,
  };
  const m: InboundMapping = { via: 'upnp', externalPort: port, internalPort: port, removed: false };
  let lease = c.gateway?.isRouterOs ? 0 : LEASE_SECONDS;
  for (;;) {
    try {
      await igd.addPortMapping({ ...request, leaseDuration: lease });
      (c.inboundMappings ??= []).push(m);
      evidence.push(`UPnP AddPortMapping UDP ${port} → ${c.localIp}:${port}, lease ${lease} s: accepted`);
      const entry = await igd.getSpecificPortMappingEntry(port, 'UDP').catch(() => null);
      if (entry) evidence.push(`the gateway lists UDP ${port} → ${entry.internalClient}:${entry.internalPort}`);
      return m;
    } catch (e) {
      if (e instanceof IgdSoapFault && e.code === 725 && lease !== 0) {
        lease = 0;
        continue;
      }
      // Anything but a refusal may have created it: let cleanup try to delete it.
      if (!(e instanceof IgdSoapFault)) (c.inboundMappings ??= []).push(m);
      evidence.push(`UPnP AddPortMapping UDP ${port}: ${describeError(e)}`);
      return null;
    }
  }
}

async function addNatPmp(c: RunContext, port: number, evidence: string[]): Promise<InboundMapping | null> {
  const client = c.natClient;
  if (!client) return null;
  try {
    const g = await client.map({
      protocol: 'udp',
      internalPort: port,
      suggestedExternalPort: port,
      lifetime: LEASE_SECONDS,
    });
    const m: InboundMapping = { via: 'nat-pmp', externalPort: g.externalPort, internalPort: port, removed: false };
    (c.inboundMappings ??= []).push(m);
    evidence.push(
      `NAT-PMP map UDP internal ${port}, suggested ${port} → granted ${g.externalPort} for ${g.lifetime} s`,
    );
    if (g.externalPort !== port)
      evidence.push(
        `NAT-PMP gave another external port than ${port}: the answer, sent to the port the router's NAT chose for this socket, may not use the mapping`,
      );
    return m;
  } catch (e) {
    evidence.push(`NAT-PMP map UDP ${port}: ${describeError(e)}`);
    return null;
  }
}

/** Removes one inbound mapping; true when it is gone. */
export async function removeInbound(c: RunContext, m: InboundMapping, evidence: string[]): Promise<boolean> {
  try {
    if (m.via === 'upnp') await c.igd?.deletePortMapping(m.externalPort, 'UDP');
    else await c.natClient?.unmap({ protocol: 'udp', internalPort: m.internalPort });
    m.removed = true;
    evidence.push(`removed the ${VIA_NAME[m.via]} mapping UDP ${m.externalPort}`);
    return true;
  } catch (e) {
    evidence.push(`could not remove the ${VIA_NAME[m.via]} mapping UDP ${m.externalPort}: ${describeError(e)}`);
    return false;
  }
}

type OpenProbe = () => Promise<InboundProbe | StepOutcome>;

/** Asks the server to answer to the mapping's external port (RESPONSE-PORT): the answer then uses
 *  the mapping even behind a NAT that gives this socket's own traffic another port (masquerade
 *  fully-random). A server without RESPONSE-PORT answers the port the NAT chose, which is the
 *  mapping's port only when the NAT keeps ports. */
async function askThrough(probe: InboundProbe, m: InboundMapping, evidence: string[]): Promise<ProbeAnswer> {
  const label = `through the ${VIA_NAME[m.via]} mapping`;
  const answer = await probe.ask(`${label} (answer sent to public port ${m.externalPort})`, m.externalPort);
  if (answer !== 'refused') return answer;
  if (probe.publicAddress.port !== m.externalPort) {
    evidence.push(
      `the server does not take RESPONSE-PORT, and this NAT sent the request from public port ${probe.publicAddress.port}, not the mapping's ${m.externalPort}: this server cannot prove the mapping`,
    );
    return 'unusable';
  }
  evidence.push('the server does not take RESPONSE-PORT; the NAT kept the port, so the plain answer uses the mapping');
  return probe.ask(label);
}

/** Each mechanism gets a fresh local port: the router's connection tracking remembers how it
 *  treated an earlier answer to a port (dropped, or forwarded by another mapping) for tens of
 *  seconds, and would decide the next answer to that port the same way. */
async function tryEach(c: RunContext, open: OpenProbe, vias: Via[], evidence: string[]): Promise<Tried[]> {
  const tried: Tried[] = [];
  for (const via of vias) {
    if (c.opts.signal?.aborted) break;
    const probe = await open();
    if (!('ask' in probe)) {
      evidence.push(`${VIA_NAME[via]}: ${probe.detail}`);
      tried.push({ via, answer: 'unusable' });
      continue;
    }
    try {
      const m = via === 'upnp' ? await addUpnp(c, probe.port, evidence) : await addNatPmp(c, probe.port, evidence);
      if (!m) {
        tried.push({ via, answer: 'not-mapped' });
        continue;
      }
      const answer = await askThrough(probe, m, evidence);
      await removeInbound(c, m, evidence);
      tried.push({ via, answer });
    } finally {
      await probe.close();
    }
  }
  return tried;
}

/** Nothing came in although the mapping exists: double NAT when the Internet sees another address
 *  than the gateway's external one, else something after the router drops it. */
async function explainSilence(c: RunContext, probe: InboundProbe, evidence: string[]): Promise<StepOutcome> {
  const seen = probe.publicAddress.address;
  const external = c.igd ? await c.igd.getExternalIPAddress().catch(() => '') : '';
  const routerWan = c.wan?.address ?? '';
  const gateway = external || routerWan;
  if (gateway && gateway !== seen) {
    const detail = `the mapping exists on the router (its external address is ${gateway}), but the Internet sees this PC as ${seen}: another NAT in front of the router drops the traffic`;
    evidence.push(detail);
    c.rec.finding({
      id: 'double-nat',
      severity: 'error',
      title: 'Double NAT: the Internet cannot reach the router’s mappings',
      detail: DOUBLE_NAT_NEXT,
      evidence: [detail],
    });
    return {
      status: 'fail',
      detail: 'double NAT: nothing from the Internet reached the mapping',
      next: DOUBLE_NAT_NEXT,
    };
  }
  const where = gateway
    ? `the router's external address ${gateway} is the address the Internet sees, so the router is the outermost NAT`
    : 'the router did not say its external address';
  const detail = `the mapping exists and ${where}, yet the answer never arrived: this PC's firewall (or a forward rule on the router) dropped it`;
  // This PC's own firewall, in the words of its OS (issue 15: Defender Firewall, the macOS firewall).
  const advice = firewallAdvice({
    platform: c.ports.platform ?? process.platform,
    protocol: 'udp',
    port: probe.port,
    mappingExists: true,
    inboundReceived: false,
    executable: process.execPath,
  });
  const next = `${advice ? `${advice.title}. ${advice.checks[0] ?? ''} ` : ''}Then test again. If it still fails, the Troubleshooter checks the router’s forward rules.`;
  c.rec.finding({
    id: 'inbound-blocked',
    severity: 'error',
    title: 'Unsolicited traffic does not reach this PC',
    detail: next,
    evidence: [detail],
  });
  if (advice) c.rec.finding(firewallFinding(advice));
  return { status: 'fail', detail, next };
}

/** What a console that maps its ports the same way should show (shared/nat-type.ts, with sources). */
function consoleLine(): string {
  const t = natTypeTerms(
    verdictFromBehaviour({ mapping: 'not-measured', filtering: 'not-measured', inboundProven: true }),
  );
  return `a device whose ports are mapped like this should show Xbox ${t.xbox}, PlayStation ${t.playstation} (Type 1 only without any router), Nintendo Switch ${t.switch}`;
}

async function verdict(
  c: RunContext,
  probe: InboundProbe,
  control: ProbeAnswer,
  tried: Tried[],
  evidence: string[],
): Promise<StepOutcome> {
  const proven = tried.filter((t) => t.answer === 'arrived').map((t) => VIA_NAME[t.via]);
  const from = `${probe.other.address}:${probe.other.port}`;
  if (proven.length && control !== 'arrived')
    return {
      status: 'pass',
      detail: `unsolicited UDP from ${from} reached this PC through the ${proven.join(' and ')} mapping`,
      evidence: [consoleLine()],
    };
  if (proven.length || control === 'arrived')
    return {
      status: 'pass',
      detail: `unsolicited UDP from ${from} reaches this PC even without a mapping: nothing between it and the Internet filters (no NAT, or endpoint-independent filtering)`,
    };
  if (tried.every((t) => t.answer === 'not-mapped'))
    return {
      status: 'fail',
      detail: 'no UDP port could be mapped, so inbound traffic could not be tested',
      next: 'See the evidence for the gateway’s refusal.',
    };
  if (tried.some((t) => t.answer === 'silent')) return explainSilence(c, probe, evidence);
  return {
    status: 'warn',
    detail: 'this STUN server cannot show inbound traffic through the mapping here (see the evidence): not tested',
    next: 'Choose a STUN server that implements RFC 5780 with RESPONSE-PORT (coturn, STUNTMAN).',
  };
}

export async function inboundStep(c: RunContext): Promise<void> {
  const server = c.opts.stun;
  if (!server) return;
  const stun = c.ports.stun;
  const vias = mechanisms(c);
  if (!stun) return void c.rec.skip('inbound', 'skipped: no UDP sockets for STUN in this environment');
  if (vias.length === 0)
    return void c.rec.skip('inbound', 'skipped: no UPnP or NAT-PMP gateway answered, so no port could be mapped');
  await c.rec.run('inbound', async (evidence) => {
    const open: OpenProbe = () => openInboundProbe(stun, server, c.opts.stunTimings, evidence);
    const first = await open();
    if (!('ask' in first)) return first;
    let control: ProbeAnswer;
    try {
      // Control: the same question before any mapping, from a port of its own. Behind a NAT that
      // filters it stays silent, so an answer through a mapping later is the mapping's doing.
      control = await first.ask('before any mapping');
    } finally {
      await first.close();
    }
    return verdict(c, first, control, await tryEach(c, open, vias, evidence), evidence);
  });
}

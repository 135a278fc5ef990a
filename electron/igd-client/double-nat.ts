// Double NAT / CGNAT evidence from what the gateway itself says, as data a self-test turns into a
// `double-nat` finding (issue 6). A gateway whose own WAN address is private (RFC 1918), shared
// CGNAT space (RFC 6598 100.64/10) or otherwise reserved cannot make a port reachable from the
// Internet: another NAT sits in front of it. miniupnpd states this in three ways (igd-lab-facts):
// empty GetExternalIPAddress, AddPortMapping fault 501, NAT-PMP result 3.
import { classifyIPv4, type AddressClass } from '../net/ipv4';
import { IgdSoapFault, NatPmpResultError } from './errors';
import type { IgdClient } from './igd-client';
import type { NatPmpClient } from './natpmp';

export type DoubleNatSource =
  'igd-external-ip' | 'igd-add-mapping' | 'natpmp-external-address' | 'natpmp-network-failure' | 'router-wan-mismatch';

export interface DoubleNatEvidence {
  source: DoubleNatSource;
  detail: string;
}

export interface DoubleNatObservations {
  igdExternalIp?: string;
  /** Error (or undefined on success) of a test AddPortMapping. */
  igdAddError?: unknown;
  natpmpExternalAddress?: string;
  natpmpError?: unknown;
  /** The router's WAN address as its management API reports it, when known. */
  routerWanAddress?: string;
}

export interface DoubleNatAssessment {
  suspected: boolean;
  evidence: DoubleNatEvidence[];
  /** Finding id the self-test reports (issue 6 CLI contract). */
  findingId: 'double-nat';
}

function describeAddress(kind: AddressClass, address: string): string | null {
  switch (kind) {
    case 'empty':
      return 'the gateway reports no external address (it is not connected, or refuses to forward from a private WAN address)';
    case 'private':
      return `the gateway's external address ${address} is private (RFC 1918): another router in front of it does NAT`;
    case 'cgnat':
      return `the gateway's external address ${address} is in 100.64.0.0/10 (RFC 6598): the provider uses carrier-grade NAT`;
    case 'reserved':
    case 'loopback':
    case 'link-local':
    case 'invalid':
      return `the gateway's external address ${address} is not a public Internet address (${kind})`;
    case 'public':
      return null;
  }
}

export function assessDoubleNat(o: DoubleNatObservations): DoubleNatAssessment {
  const evidence: DoubleNatEvidence[] = [];
  if (o.igdExternalIp !== undefined) {
    const detail = describeAddress(classifyIPv4(o.igdExternalIp), o.igdExternalIp);
    if (detail) evidence.push({ source: 'igd-external-ip', detail });
  }
  if (o.igdAddError instanceof IgdSoapFault && o.igdAddError.code === 501) {
    evidence.push({
      source: 'igd-add-mapping',
      detail:
        'a test mapping failed with UPnP 501 Action Failed, which miniupnpd answers when its WAN address is private or CGNAT',
    });
  }
  if (o.natpmpExternalAddress !== undefined) {
    const detail = describeAddress(classifyIPv4(o.natpmpExternalAddress), o.natpmpExternalAddress);
    if (detail) evidence.push({ source: 'natpmp-external-address', detail: `NAT-PMP: ${detail}` });
  }
  if (o.natpmpError instanceof NatPmpResultError && o.natpmpError.code === 3) {
    evidence.push({
      source: 'natpmp-network-failure',
      detail: 'NAT-PMP answered result 3 Network Failure: the gateway has no usable external address',
    });
  }
  const ext = o.igdExternalIp || o.natpmpExternalAddress;
  if (o.routerWanAddress && ext && classifyIPv4(ext) === 'public' && ext !== o.routerWanAddress) {
    evidence.push({
      source: 'router-wan-mismatch',
      detail: `the gateway reports ${ext} but the router's WAN address is ${o.routerWanAddress}: the answering gateway is not this router, or another NAT is involved`,
    });
  }
  return { suspected: evidence.length > 0, evidence, findingId: 'double-nat' };
}

/** Gathers the observations from live gateways: external address over IGD and NAT-PMP, and a test
 *  mapping that is deleted again at once. Each probe is optional and failures are data. */
export async function probeDoubleNat(p: {
  igd?: IgdClient;
  natpmp?: NatPmpClient;
  internalClient: string;
  testPort: number;
  routerWanAddress?: string;
}): Promise<DoubleNatAssessment & { observations: DoubleNatObservations }> {
  const o: DoubleNatObservations = { routerWanAddress: p.routerWanAddress };
  if (p.igd) {
    o.igdExternalIp = await p.igd.getExternalIPAddress().catch(() => undefined);
    try {
      // Lease 0: the only kind RouterOS accepts (725 otherwise); removed right after.
      await p.igd.addPortMapping({
        externalPort: p.testPort,
        protocol: 'UDP',
        internalPort: p.testPort,
        internalClient: p.internalClient,
        description: 'PortPilot double-NAT probe',
        leaseDuration: 0,
      });
      await p.igd.deletePortMapping(p.testPort, 'UDP').catch(() => undefined);
    } catch (e) {
      o.igdAddError = e;
    }
  }
  if (p.natpmp) {
    try {
      o.natpmpExternalAddress = (await p.natpmp.externalAddress()).address;
    } catch (e) {
      o.natpmpError = e;
    }
  }
  return { ...assessDoubleNat(o), observations: o };
}

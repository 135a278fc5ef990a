// Double NAT / CGNAT evidence from what the gateway itself says, as data a self-test turns into a
// `double-nat` finding (issue 6). A gateway whose own WAN address is private (RFC 1918), shared
// CGNAT space (RFC 6598 100.64/10) or otherwise reserved cannot make a port reachable from the
// Internet: another NAT sits in front of it. miniupnpd states this in three ways (igd-lab-facts):
// empty GetExternalIPAddress, AddPortMapping fault 501, NAT-PMP result 3.
import { IgdSoapFault, NatPmpResultError } from './errors';
import type { IgdClient } from './igd-client';
import type { NatPmpClient } from './natpmp';

export type AddressClass =
  'empty' | 'invalid' | 'private' | 'cgnat' | 'loopback' | 'link-local' | 'reserved' | 'public';

/** Classifies an IPv4 address by the IANA special-purpose registry (RFC 6890). */
export function classifyIPv4(address: string): AddressClass {
  if (address === '' || address === '0.0.0.0') return 'empty';
  const parts = address.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return 'invalid';
  const [a = 0, b = 0, c = 0] = parts;
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'private';
  if (a === 100 && b >= 64 && b <= 127) return 'cgnat';
  if (a === 127) return 'loopback';
  if (a === 169 && b === 254) return 'link-local';
  const testNet =
    (a === 192 && b === 0 && (c === 2 || c === 0)) ||
    (a === 198 && b === 51 && c === 100) ||
    (a === 203 && b === 0 && c === 113);
  if (a === 0 || a >= 224 || testNet || (a === 198 && (b === 18 || b === 19))) return 'reserved';
  return 'public';
}

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

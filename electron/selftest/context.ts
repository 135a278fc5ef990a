// State one self-test run carries from step to step.
import type { DescribedGateway } from '../igd-client/gateways';
import { assessDoubleNat, type DoubleNatObservations } from '../igd-client/double-nat';
import type { LanSurvey } from './lan-survey';
import type { IgdPort, NatPmpPort, SelfTestOptions, SelfTestPorts } from './ports';
import type { Recorder } from './recorder';
import type { RouterWan } from './router-checks';

export interface RunContext {
  ports: SelfTestPorts;
  opts: SelfTestOptions;
  rec: Recorder;
  runId: string;
  description: string;
  /** This PC's adapters, default route and the router's LAN address (lan.ts), from the discover step. */
  lan?: LanSurvey;
  gateway?: DescribedGateway;
  igd?: IgdPort;
  /** This PC's address as the IGD sees it: the internal client of the test mapping. */
  localIp?: string;
  wan?: RouterWan | null;
  /** The UPnP test mapping once the gateway may hold it (cleanup deletes it unless `deleted`). */
  igdMapping?: { port: number; deleted: boolean };
  natClient?: NatPmpPort;
  natMapping?: { internalPort: number; externalPort: number; localIp: string; unmapped: boolean };
  noRouterReported?: boolean;
  /** The UDP mappings of the `inbound` step (cleanup removes those not `removed`). */
  inboundMappings?: InboundMapping[];
}

export interface InboundMapping {
  via: 'upnp' | 'nat-pmp';
  externalPort: number;
  internalPort: number;
  removed: boolean;
}

export const DOUBLE_NAT_NEXT =
  'Port forwarding from the Internet cannot reach this router while another NAT sits in front of it. Put the provider’s modem/router in bridge mode (or forward the ports there too), or ask the provider for a public IPv4 address (CGNAT 100.64.0.0/10 cannot be forwarded by you).';

/** Records double-NAT evidence as the `double-nat` finding; true when there was any. */
export function noteDoubleNat(c: RunContext, o: DoubleNatObservations, evidence: string[]): boolean {
  const a = assessDoubleNat(o);
  if (!a.suspected) return false;
  const lines = a.evidence.map((e) => e.detail);
  evidence.push(...lines);
  c.rec.finding({
    id: a.findingId,
    severity: 'error',
    title: 'Double NAT / CGNAT: this router has no public address of its own',
    detail: DOUBLE_NAT_NEXT,
    evidence: lines,
  });
  return true;
}

/** The verify-on-router steps need a router connection; without one they are skipped with a warning. */
export function noteNoRouter(c: RunContext): void {
  if (c.noRouterReported) return;
  c.noRouterReported = true;
  c.rec.finding({
    id: 'no-router',
    severity: 'warn',
    title: 'Not checked on the router',
    detail:
      'PortPilot is not connected to the router, so it could not confirm that the router itself created the rules. Connect to the router (CLI: --router HOST --user U with PORTPILOT_PASSWORD) and run the test again.',
    evidence: [],
  });
}

export const NO_ROUTER_SKIP = 'skipped: not connected to the router through its API';
export const NO_ROUTER_NEXT = 'Connect PortPilot to the router (CLI: --router HOST --user U) to verify on the router.';

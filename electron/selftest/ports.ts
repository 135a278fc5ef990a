// What the self-test engine needs from the outside world. Real implementations (real-ports.ts) use
// PortPilot's IGD / NAT-PMP client over real sockets; unit tests inject fakes.
import type { RouterPort } from '../core/router-port';
import type { Adapter } from '../igd-client/adapters';
import type { GatewayChoice } from '../igd-client/default-gateway';
import type { DescribedGateway } from '../igd-client/gateways';
import type { IgdClient } from '../igd-client/igd-client';
import type { NatPmpClient } from '../igd-client/natpmp';
import type { Timings } from '../stun/channel';
import type { StunPorts } from '../stun/ports';
import type { SelfTestFinding, SelfTestStep } from '../../shared/domains/selftest';

/** The IGD client calls the self-test makes. */
export type IgdPort = Pick<
  IgdClient,
  | 'description'
  | 'getExternalIPAddress'
  | 'addPortMapping'
  | 'deletePortMapping'
  | 'getSpecificPortMappingEntry'
  | 'listPortMappings'
>;

/** The NAT-PMP client calls the self-test makes. */
export type NatPmpPort = Pick<NatPmpClient, 'externalAddress' | 'map' | 'unmap'>;

export interface SelfTestPorts {
  /** SSDP discovery (multicast plus unicast to `unicastTargets`) with every gateway described. */
  findGateways(opts: {
    unicastTargets: { address: string; port?: number }[];
    multicast: boolean;
    /** The adapters to search from (multicast); default: the client's own choice. */
    adapters?: { name: string; address: string }[];
    /** How long to listen for answers (default: the ports' own window, 2.5 s for real sockets). */
    windowMs?: number;
  }): Promise<DescribedGateway[]>;
  /** Describes one root description URL given by hand (no SSDP). */
  describeUrl(url: string): Promise<DescribedGateway>;
  /** A client for the WAN service of a described gateway. */
  igdClient(gateway: DescribedGateway): IgdPort;
  natPmpClient(target: { host: string; port: number }): NatPmpPort;
  /** The OS default IPv4 route, chosen among several (default-gateway.ts); rejects when there is none. */
  defaultRoute(): Promise<GatewayChoice>;
  /** This PC's adapters (os.networkInterfaces(), classified: adapters.ts). */
  adapters(): Adapter[];
  /** This PC's address as `host` sees it. */
  localAddressToward(host: string): Promise<string>;
  /** The connected router, for the verify-on-router steps; null = those steps are skipped. */
  router: RouterPort | null;
  /** UDP sockets, timers and a resolver for the STUN client (the `inbound` step). */
  stun?: StunPorts;
  /** Which OS this PC runs (the firewall advice names its settings); default process.platform. */
  platform?: NodeJS.Platform;
  now(): number;
  /** A random integer in [0, n): picks the test ports. */
  random(n: number): number;
}

export interface SelfTestOptions {
  /** Root description URL given by hand (or the embedded demo router's: `gatewayUrlFrom`). */
  gatewayUrl?: string;
  /** Where `gatewayUrl` came from, for the evidence: typed by the user (default) or the demo router's. */
  gatewayUrlFrom?: 'user' | 'demo';
  /**
   * NAT-PMP gateway address (default: the connected router's LAN address, then `routerHost` when it is
   * an IPv4 address, else the OS default route, RFC 6886 §3; never a host taken from an IGD description).
   */
  natPmpGateway?: string;
  /** 5351 per RFC 6886 §3; only the embedded demo router (random port) changes it. */
  natPmpPort?: number;
  /** The adapter to test from, by name (default: every physical adapter with a private address). */
  adapter?: string;
  /** The router PortPilot is connected to, as the user addressed it (RouterLink.host, CLI --router):
   *  its LAN address on this PC's subnet is the NAT-PMP gateway and the IGD host (issue 15). */
  routerHost?: string;
  /** A known gateway to search by unicast SSDP (default: the router's LAN address, else the OS default gateway, on port 1900). */
  ssdpTarget?: { address: string; port?: number };
  /** false: no multicast M-SEARCH, only the unicast one (tests on a shared machine). */
  multicast?: boolean;
  /** The external port to test ("does 3074 work?"); default: a free high port. */
  testPort?: number;
  /** false: skip the NAT-PMP steps. */
  natPmp?: boolean;
  runId?: string;
  /** A STUN server that implements RFC 5780: adds the `inbound` step (issue 12). */
  stun?: { host: string; port: number };
  /** Retransmission timings of the STUN client (tests make them short). */
  stunTimings?: Timings;
  /** Stops the run between steps; the test mapping is still cleaned up. */
  signal?: AbortSignal;
}

export interface SelfTestListener {
  onStep?(step: SelfTestStep): void;
  onFinding?(finding: SelfTestFinding): void;
}

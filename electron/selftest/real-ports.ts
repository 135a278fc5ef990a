// The self-test's ports over real sockets: PortPilot's own IGD / NAT-PMP client (electron/igd-client).
import { randomInt } from 'node:crypto';
import os from 'node:os';
import type { RouterPort } from '../core/router-port';
import { listAdapters } from '../igd-client/adapters';
import { findDefaultGateway, type RouteReaderPorts } from '../igd-client/default-gateway';
import { fetchDescription } from '../igd-client/description';
import { findGateways, type DescribedGateway } from '../igd-client/gateways';
import { IgdClient } from '../igd-client/igd-client';
import { localAddressToward } from '../igd-client/local-address';
import { NatPmpClient } from '../igd-client/natpmp';
import { realStunPorts } from '../stun/real-net';
import type { SelfTestPorts } from './ports';

export interface RealPortsOptions {
  router?: RouterPort | null;
  /** SSDP listening window (default 2.5 s: three searches in the first half, UDA 1.1 §1.3.2). */
  discoveryWindowMs?: number;
  /** SOAP / description timeout. */
  timeoutMs?: number;
  /** Tests: recorded route tables and adapters instead of this machine's. */
  routes?: RouteReaderPorts;
  networkInterfaces?: () => NodeJS.Dict<os.NetworkInterfaceInfo[]>;
}

/** A root description URL given by hand, described like a discovered gateway. */
async function describeUrl(url: string, timeoutMs: number): Promise<DescribedGateway> {
  const u = new URL(url);
  const base = {
    location: url,
    usn: '',
    server: '',
    searchTargets: [],
    responder: { address: u.hostname, port: Number(u.port) || 80 },
    localAddress: '',
    adapter: null,
    heardOn: [],
    isRouterOs: false,
  };
  try {
    const description = await fetchDescription(url, { timeoutMs });
    return {
      gateway: { ...base, isRouterOs: description.isRouterOs },
      description,
      isRouterOs: description.isRouterOs,
    };
  } catch (e) {
    const err = e as Error & { code?: string };
    return { gateway: base, error: { name: err.name, code: err.code, message: err.message }, isRouterOs: false };
  }
}

export function realSelfTestPorts(o: RealPortsOptions = {}): SelfTestPorts {
  const timeoutMs = o.timeoutMs ?? 5000;
  const networkInterfaces = o.networkInterfaces ?? os.networkInterfaces;
  return {
    findGateways: ({ unicastTargets, multicast, adapters }) =>
      findGateways({
        windowMs: o.discoveryWindowMs ?? 2500,
        unicastTargets,
        multicast,
        adapters,
        networkInterfaces,
        timeoutMs,
      }),
    describeUrl: (url) => describeUrl(url, timeoutMs),
    igdClient: (g) => {
      if (!g.description) throw new Error(`no description for ${g.gateway.location}`);
      return new IgdClient(g.description, { timeoutMs });
    },
    natPmpClient: ({ host, port }) => new NatPmpClient({ gateway: host, port }),
    defaultRoute: () => findDefaultGateway({ networkInterfaces, ...o.routes }),
    adapters: () => listAdapters(networkInterfaces()),
    localAddressToward: (host) => localAddressToward(host),
    router: o.router ?? null,
    stun: realStunPorts(),
    now: () => Date.now(),
    random: (n) => randomInt(n),
  };
}

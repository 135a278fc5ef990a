import type { RouterLink } from '../core/router-link';
import { fetchDescription, findGateways, type DescribedGateway } from '../igd-client';

export interface GatewayUrlDeps {
  find?: (host: string) => Promise<DescribedGateway[]>;
  probe?: (url: string) => Promise<unknown>;
  log?: (line: string) => void;
}

/**
 * Where the connected router's UPnP IGD description lives, for the features that talk IGD from this PC
 * (mapping cleanup's DeletePortMapping, the troubleshooter's external-address check). The demo router
 * says so itself; for a real router, on each connect: SSDP (multicast plus a unicast search to the
 * router), preferring the gateway at the router's own address, then RouterOS's fixed location
 * `http://<router>:2828/gateway.xml` (MikroTik manual; routeros-facts.md). The answer is cached until
 * the next connect, so the getter stays synchronous.
 */
export function createGatewayUrlResolver(deps: GatewayUrlDeps = {}) {
  const find =
    deps.find ??
    ((host: string) =>
      findGateways({
        windowMs: 2000,
        unicastTargets: [{ address: host, port: 1900 }],
        // A router on this machine (a standalone demo router) is asked directly; nothing goes to the LAN.
        ...(isLoopbackHost(host) ? { multicast: false, localAddresses: ['127.0.0.1'] } : {}),
      }));
  const probe = deps.probe ?? ((url: string) => fetchDescription(url, { timeoutMs: 3000 }));
  let discovered: string | null = null;
  let demoUrl: string | null = null;
  let generation = 0;

  async function discover(host: string, mine: number): Promise<void> {
    let url: string | null = null;
    try {
      const gateways = (await find(host)).filter((g) => g.description);
      const atRouter = gateways.find((g) => new URL(g.gateway.location).hostname === host);
      url = (atRouter ?? gateways.find((g) => g.isRouterOs))?.gateway.location ?? null;
    } catch (err) {
      deps.log?.(`IGD discovery failed: ${String(err)}`);
    }
    if (!url) {
      const fixed = `http://${host.includes(':') ? `[${host}]` : host}:2828/gateway.xml`;
      url = await probe(fixed).then(
        () => fixed,
        () => null,
      );
    }
    if (mine === generation) discovered = url;
  }

  return {
    /** Call on every connect with the new router, and with null when the app disconnects. */
    routerChanged(router: Pick<RouterLink, 'host' | 'endpoints'> | null): Promise<void> {
      const mine = ++generation;
      discovered = null;
      // The embedded demo router says where its IGD is; nothing to discover.
      demoUrl = router?.endpoints?.rootDescriptionUrl ?? null;
      return router && !demoUrl ? discover(router.host, mine) : Promise.resolve();
    },
    url: (): string | null => demoUrl ?? discovered,
  };
}

const isLoopbackHost = (host: string): boolean => host === 'localhost' || host === '::1' || host.startsWith('127.');

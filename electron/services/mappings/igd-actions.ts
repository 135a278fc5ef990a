/**
 * The cleanup's IGD requests from this computer (UPnP IGD WANIPConnection §2.4.16 AddPortMapping,
 * §2.4.17 DeletePortMapping) through PortPilot's own IGD client. It needs the router's root
 * description URL (gateway-url.ts; the embedded demo router says where its IGD face is); without one
 * it reports itself unavailable and the cleanup plans without it.
 */
import { IgdClient, keepAliveFetch, localAddressToward } from '../../igd-client';
import type { IgdActions } from '../../mappings/igd-port';

export function igdActionsVia(rootDescriptionUrl: () => string | null): IgdActions {
  const clients = new Map<string, Promise<IgdClient>>();
  // Kept-alive sockets: a restore after a UPnP restart sends thousands of AddPortMapping requests.
  const fetch = keepAliveFetch({ maxSockets: 16 });
  const locals = new Map<string, Promise<string | null>>();
  const client = (): Promise<IgdClient> => {
    const url = rootDescriptionUrl();
    if (!url) return Promise.reject(new Error('no IGD description URL for this router (UPnP request not sent)'));
    let c = clients.get(url);
    if (!c) {
      c = IgdClient.fromLocation(url, { fetch, transport: fetch.post });
      clients.set(url, c);
      c.catch(() => clients.delete(url));
    }
    return c;
  };
  const proto = (p: 'tcp' | 'udp') => (p === 'tcp' ? 'TCP' : 'UDP');
  return {
    available: () => rootDescriptionUrl() !== null,
    localAddress() {
      const url = rootDescriptionUrl();
      if (!url) return Promise.resolve(null);
      let local = locals.get(url);
      if (!local) {
        // The address the router sees this computer at: the route's source address toward it.
        const { hostname, port } = new URL(url);
        local = localAddressToward(hostname.replace(/^\[|\]$/g, ''), Number(port) || 80).catch(() => null);
        locals.set(url, local);
      }
      return local;
    },
    async deleteMapping(protocol, externalPort) {
      await (await client()).deletePortMapping(externalPort, proto(protocol));
    },
    async addMapping(m) {
      await (
        await client()
      ).addPortMapping({
        externalPort: m.externalPort,
        protocol: proto(m.protocol),
        internalPort: m.internalPort,
        internalClient: m.internalAddress,
        enabled: m.enabled,
        description: m.description,
        leaseDuration: m.leaseSeconds,
      });
    },
  };
}

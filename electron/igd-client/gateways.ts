// Discovery plus descriptions: every gateway on the LAN with what it is, so the UI can say which
// one is the RouterOS router when there are two (issue 6: "a LAN can have two").
import { fetchDescription, type FetchDescriptionOptions, type GatewayDescription } from './description';
import { discoverGateways, type DiscoveredGateway, type DiscoveryOptions } from './ssdp';

export interface DescribedGateway {
  gateway: DiscoveredGateway;
  /** Absent when the description could not be fetched or parsed; see `error`. */
  description?: GatewayDescription;
  error?: { name: string; code?: string; message: string };
  /** SERVER header or description manufacturer/model names MikroTik RouterOS. */
  isRouterOs: boolean;
}

/** Fetches each gateway's description in parallel; one broken gateway does not hide the others. */
export async function describeGateways(
  gateways: DiscoveredGateway[],
  opts: FetchDescriptionOptions = {},
): Promise<DescribedGateway[]> {
  return Promise.all(
    gateways.map(async (gateway): Promise<DescribedGateway> => {
      try {
        const description = await fetchDescription(gateway.location, opts);
        return { gateway, description, isRouterOs: gateway.isRouterOs || description.isRouterOs };
      } catch (e) {
        const err = e as Error & { code?: string };
        return {
          gateway,
          error: { name: err.name, code: err.code, message: err.message },
          isRouterOs: gateway.isRouterOs,
        };
      }
    }),
  );
}

/** Discovers and describes; RouterOS gateways first, then usable ones, then the rest. */
export async function findGateways(opts: DiscoveryOptions & FetchDescriptionOptions = {}): Promise<DescribedGateway[]> {
  const described = await describeGateways(await discoverGateways(opts), opts);
  const rank = (g: DescribedGateway): number => (g.isRouterOs ? 0 : g.description ? 1 : 2);
  return described.sort((a, b) => rank(a) - rank(b));
}

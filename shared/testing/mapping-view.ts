import type { MappingOwner, MappingView } from '../domains/mappings';

/**
 * A mapping as main sends it, for tests on either side: TCP `port` → 192.168.88.10:`port`, active, seen
 * since 0, owner unknown. `over` replaces fields; `over.owner` replaces owner fields.
 */
export function mappingView(
  port: number,
  over: Partial<Omit<MappingView, 'owner'>> & { owner?: Partial<MappingOwner> } = {},
): MappingView {
  const { owner, ...rest } = over;
  return {
    id: `tcp/${port}`,
    protocol: 'tcp',
    externalPort: port,
    internalAddress: '192.168.88.10',
    internalPort: port,
    description: 'x',
    source: 'upnp',
    ruleIds: ['*1'],
    upnpMappingId: null,
    enabled: true,
    owner: { hostName: null, mac: null, vendor: null, interface: null, present: true, lastSeenAt: null, ...owner },
    firstSeenAt: 0,
    knownSinceAt: 0,
    ageBasis: 'first-seen',
    lastTrafficAt: null,
    status: 'active',
    staleReasons: [],
    ...rest,
  };
}

import type { MappingView } from '../../../shared/domains/mappings';

/** A mapping view with sensible defaults, for tests that only care about a few fields. */
export function mappingView(over: Partial<MappingView> & { externalPort: number }): MappingView {
  const protocol = over.protocol ?? 'tcp';
  return {
    id: `${protocol}/${over.externalPort}`,
    protocol,
    internalAddress: '192.168.88.20',
    internalPort: over.externalPort,
    description: 'app',
    source: 'upnp',
    upnpMappingId: null,
    enabled: true,
    ruleIds: ['*1'],
    owner: {
      hostName: 'alex-laptop',
      mac: '3C:22:FB:00:00:01',
      vendor: 'Apple, Inc.',
      interface: 'bridge-lan',
      present: true,
      lastSeenAt: null,
    },
    firstSeenAt: 0,
    knownSinceAt: over.firstSeenAt ?? 0,
    ageBasis: 'first-seen',
    lastTrafficAt: null,
    status: 'active',
    staleReasons: [],
    ...over,
  };
}

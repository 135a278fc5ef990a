/** The seed guide's `/ip upnp mappings print`: protocol, external port, internal address and port. */
import type { Row } from '../api-device';
import type { DeviceState } from './device-state';
import type { Mapping } from './mappings';
import { formatDuration } from '../../routeros/duration';

export function mappingRow(m: Mapping, now: number): Row {
  return {
    '.id': m.ruleId,
    protocol: m.protocol,
    'dst-port': String(m.externalPort),
    'internal-address': m.internalAddress,
    'internal-port': String(m.internalPort),
    'remote-address': m.remoteHost,
    description: m.description,
    lease: m.expiresAt === null ? '0s' : formatDuration(Math.max(0, m.expiresAt - now)),
    enabled: m.enabled ? 'true' : 'false',
    dynamic: 'true',
  };
}

export function mappingRows(dev: DeviceState): Row[] {
  const now = dev.clock.now();
  return dev.backend.store.list('upnp').map((m) => mappingRow(m, now));
}

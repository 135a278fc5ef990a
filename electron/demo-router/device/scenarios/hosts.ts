/**
 * LAN hosts: a DHCP lease each, and an ARP entry while the host is on the network. A host that left
 * keeps its lease as `waiting` with a `last-seen` days ago and has no ARP entry — what PortPilot's
 * stale-mapping detection looks for.
 */
import type { MappingResult } from '../../mapping-backend';
import type { SeedMapping } from '../mappings';
import type { DeviceState } from '../device-state';

export interface HostSpec {
  hostName: string;
  address: string;
  mac: string;
  /** On the network now. */
  present: boolean;
  /** How long ago it was last seen (ms) when absent. */
  goneFor?: number;
  iface?: string;
  server?: string;
}

const LEASE_MS = 30 * 60 * 1000;

export function addHost(dev: DeviceState, h: HostSpec): void {
  const now = dev.clock.now();
  const leases = dev.table('/ip/dhcp-server/lease');
  const bound = h.present;
  const id = leases.add(
    {
      address: h.address,
      'mac-address': h.mac,
      'client-id': `1:${h.mac.toLowerCase()}`,
      server: h.server ?? 'defconf',
      'host-name': h.hostName,
      status: bound ? 'bound' : 'waiting',
      'active-address': bound ? h.address : '',
      'active-mac-address': bound ? h.mac : '',
      'active-host-name': bound ? h.hostName : '',
      'active-server': bound ? (h.server ?? 'defconf') : '',
      _iface: h.iface ?? 'bridge-lan',
    },
    { dynamic: true, trusted: true },
  );
  const lastSeenAt = bound ? now - 4000 : now - (h.goneFor ?? 3 * 86400_000);
  leases.hidden.set(id, { lastSeenAt, expiresAt: now + LEASE_MS });
  if (bound) setPresent(dev, h.address, true);
}

/** Puts a host on (or takes it off) the network: ARP entry and lease status follow. */
export function setPresent(dev: DeviceState, address: string, present: boolean): void {
  const now = dev.clock.now();
  const arp = dev.table('/ip/arp');
  const leases = dev.table('/ip/dhcp-server/lease');
  const lease = leases.all().find((l) => l.address === address);
  const entry = arp.all().find((a) => a.address === address && a.dynamic === 'true');
  if (present && !entry && lease) {
    arp.add(
      {
        address,
        'mac-address': lease['mac-address'] ?? '',
        interface: lease['_iface'] ?? 'bridge-lan',
        status: 'reachable',
        dhcp: 'true',
      },
      { dynamic: true, trusted: true },
    );
  }
  if (!present && entry) arp.drop(entry);
  if (!lease) return;
  const id = lease['.id'] ?? '';
  const hidden = leases.hidden.get(id) ?? {};
  if (present) {
    leases.hidden.set(id, { ...hidden, lastSeenAt: now, expiresAt: now + LEASE_MS });
    leases.update(lease, {
      status: 'bound',
      'active-address': address,
      'active-mac-address': lease['mac-address'] ?? '',
      'active-host-name': lease['host-name'] ?? '',
      'active-server': lease.server ?? '',
    });
  } else if (lease.status === 'bound') {
    leases.hidden.set(id, { ...hidden, lastSeenAt: now });
    leases.update(lease, {
      status: 'waiting',
      'active-address': '',
      'active-mac-address': '',
      'active-host-name': '',
      'active-server': '',
    });
  }
}

export function isPresent(dev: DeviceState, address: string): boolean {
  return dev
    .table('/ip/arp')
    .all()
    .some((a) => a.address === address && a.status !== 'failed');
}

/** Creates a mapping exactly as a client on the LAN would, through the backend's own checks. */
export function seedMapping(dev: DeviceState, m: SeedMapping): void {
  const result = requestMapping(dev, m);
  if (!result.ok)
    throw new Error(`scenario mapping ${m.protocol} ${m.port} refused: ${result.refusal} (${result.detail})`);
}

export function requestMapping(dev: DeviceState, m: SeedMapping): MappingResult {
  return dev.backend.add({
    source: m.source ?? 'upnp',
    protocol: m.protocol,
    externalPort: m.port,
    internalAddress: m.address,
    internalPort: m.internalPort ?? m.port,
    description: m.description,
    leaseSeconds: m.leaseSeconds ?? 0,
    remoteHost: '',
    enabled: true,
    clientAddress: m.address,
    allowAlternativePort: false,
  });
}

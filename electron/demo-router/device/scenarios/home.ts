/**
 * `home`: a typical home network the guide describes — bridge-lan with ether2-5, ether1 WAN with a
 * public DHCP address, UPnP + NAT-PMP on, consoles, a Plex server and laptops with live mappings, and
 * a few stale mappings of hosts that left days ago.
 *
 * Public addresses: RFC 5737 TEST-NETs would look "reserved" to PortPilot's double-NAT check (and to
 * miniupnpd, igd-lab-facts.md), so the WAN and remote peers use addresses from MaxMind's published
 * GeoIP test fixtures (81.2.69.0/24, 89.160.20.0/24, 216.160.83.56, ...). They are only simulated and
 * never contacted.
 */
import type { DemoDevice } from '../device';
import {
  addHighPortPermissions,
  buildFirewall,
  buildHardware,
  buildLan,
  buildWan,
  enableMappingServices,
} from './base';
import type { SeedMapping } from '../mappings';
import { addHost, seedMapping, type HostSpec } from './hosts';
import { OUI, macFor } from './macs';

export const HOME_WAN = { address: '81.2.69.142/24', gateway: '81.2.69.1', dhcpServer: '81.2.69.1' };
const DAY = 86400_000;

export const HOME_HOSTS: HostSpec[] = [
  { hostName: 'plex-server', address: '192.168.88.10', mac: macFor('plex', OUI.synology), present: true },
  { hostName: 'PS5-Living-Room', address: '192.168.88.20', mac: macFor('ps5', OUI.sonyInteractive), present: true },
  { hostName: 'Xbox-Series-X', address: '192.168.88.21', mac: macFor('xbox', OUI.microsoft), present: true },
  { hostName: 'Nintendo-Switch', address: '192.168.88.22', mac: macFor('switch', OUI.nintendo), present: true },
  { hostName: 'alex-laptop', address: '192.168.88.30', mac: macFor('alex', OUI.intel), present: true },
  { hostName: 'sams-iPhone', address: '192.168.88.31', mac: macFor('sam', OUI.apple), present: true },
  { hostName: 'kitchen-pi', address: '192.168.88.40', mac: macFor('pi', OUI.raspberryPi), present: true },
  { hostName: 'old-laptop', address: '192.168.88.50', mac: macFor('old', OUI.asus), present: false, goneFor: 6 * DAY },
  {
    hostName: 'guest-phone',
    address: '192.168.88.51',
    mac: macFor('guest', OUI.apple),
    present: false,
    goneFor: 2 * DAY,
  },
  {
    hostName: 'PS4-Bedroom',
    address: '192.168.88.52',
    mac: macFor('ps4', '00:D9:D1'),
    present: false,
    goneFor: 9 * DAY,
  },
];

export const HOME_LIVE_MAPPINGS: SeedMapping[] = [
  { protocol: 'udp', port: 3074, address: '192.168.88.20', description: 'PS5 PSN 3074' },
  { protocol: 'tcp', port: 9308, address: '192.168.88.20', description: 'PS5 Remote Play' },
  { protocol: 'udp', port: 3075, internalPort: 3074, address: '192.168.88.21', description: 'XboxOne-Games' },
  { protocol: 'udp', port: 3544, address: '192.168.88.21', description: 'Xbox Teredo' },
  { protocol: 'tcp', port: 32400, address: '192.168.88.10', description: 'Plex Media Server' },
  { protocol: 'tcp', port: 6881, address: '192.168.88.30', description: 'qBittorrent/4.6.5', leaseSeconds: 3600 },
  { protocol: 'udp', port: 6881, address: '192.168.88.30', description: 'qBittorrent/4.6.5', leaseSeconds: 3600 },
  { protocol: 'udp', port: 27015, address: '192.168.88.30', description: 'Steam Game Server' },
  { protocol: 'tcp', port: 22000, address: '192.168.88.40', description: 'syncthing' },
  {
    source: 'nat-pmp',
    protocol: 'udp',
    port: 16402,
    address: '192.168.88.31',
    description: 'FaceTime',
    leaseSeconds: 7200,
  },
  {
    source: 'nat-pmp',
    protocol: 'tcp',
    port: 4500,
    address: '192.168.88.31',
    description: 'iCloud Private Relay',
    leaseSeconds: 7200,
  },
  { protocol: 'tcp', port: 8096, address: '192.168.88.10', description: 'Jellyfin' },
];

/** Mappings whose hosts left: permanent (RouterOS 7 only has permanent ones), so they linger. */
export const HOME_STALE_MAPPINGS: SeedMapping[] = [
  { protocol: 'tcp', port: 51413, address: '192.168.88.50', description: 'Transmission at 51413' },
  { protocol: 'udp', port: 51413, address: '192.168.88.50', description: 'Transmission at 51413' },
  { protocol: 'udp', port: 26712, address: '192.168.88.51', description: 'Skype UDP at 192.168.88.51:26712 (2150)' },
  { protocol: 'udp', port: 9307, address: '192.168.88.52', description: 'PS4 Remote Play' },
];

export function buildHome(dev: DemoDevice, identity = 'HomeRouter'): void {
  buildHardware(dev, identity);
  buildLan(dev);
  buildWan(dev, HOME_WAN);
  buildFirewall(dev);
  enableMappingServices(dev);
  if (dev.profile === 'seed') addHighPortPermissions(dev);
  for (const h of HOME_HOSTS) addHost(dev, h);
  // RouterOS 7 refuses leases > 0 over UPnP (725), so a UPnP client there asks for a permanent one.
  const lease = (m: SeedMapping): SeedMapping =>
    dev.profile === 'routeros7' && (m.source ?? 'upnp') === 'upnp' ? { ...m, leaseSeconds: 0 } : m;
  for (const m of [...HOME_LIVE_MAPPINGS, ...HOME_STALE_MAPPINGS]) seedMapping(dev, lease(m));
  dev.clients.push(...HOME_LIVE_MAPPINGS.map(lease));
  dev.roamers.push('192.168.88.31', '192.168.88.22');
}

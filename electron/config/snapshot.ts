/**
 * Everything the configuration plans and the setup wizard read from the router, in one snapshot.
 * Menus the router may lack (the seed guide's /ip/upnp/permissions, /ip/nat-pmp before 7.13,
 * /interface/pppoe-client on a device without it) read as null / empty instead of failing.
 */
import { isNoSuchCommand, isTrue, type RawRow, type RouterPort } from '../core/router-port';

export interface UpnpSettings {
  enabled: boolean;
  allowDisableExternalInterface: boolean;
  showDummyRule: boolean;
}

export interface RoleRow {
  id: string;
  interface: string;
  type: 'internal' | 'external';
  disabled: boolean;
}

export interface RouterSnapshot {
  hasPermissions: boolean;
  hasNatPmp: boolean;
  interfaces: Array<{ name: string; type: string; comment: string }>;
  addresses: Array<{ address: string; interface: string; dynamic: boolean }>;
  defaultRouteInterfaces: string[];
  dhcpServers: Array<{ name: string; interface: string }>;
  dhcpClients: Array<{ interface: string; status: string }>;
  pppoeClients: Array<{ name: string; interface: string }>;
  leases: RawRow[];
  upnp: UpnpSettings;
  upnpInterfaces: RoleRow[];
  natPmp: { enabled: boolean } | null;
  natPmpInterfaces: RoleRow[];
  /** Static permission rows in order; null where the router has no permissions menu. */
  permissions: RawRow[] | null;
  filter: RawRow[];
  nat: RawRow[];
  liveMappings: { upnp: number; natPmp: number };
}

async function optional(router: RouterPort, menu: string): Promise<RawRow[] | null> {
  try {
    return await router.print(menu);
  } catch (err) {
    if (isNoSuchCommand(err)) return null;
    throw err;
  }
}

const roles = (rows: RawRow[] | null): RoleRow[] =>
  (rows ?? []).map((r) => ({
    id: r['.id'] ?? '',
    interface: r['interface'] ?? '',
    type: r['type'] === 'external' ? 'external' : 'internal',
    disabled: isTrue(r['disabled']),
  }));

const isStatic = (r: RawRow): boolean => r['dynamic'] !== 'true';

/** `81.2.69.1%ether1` (immediate-gw) or a bare interface gateway. */
function routeInterface(route: RawRow, names: Set<string>): string | null {
  const viaPercent = (route['immediate-gw'] ?? '').split('%')[1];
  if (viaPercent) return viaPercent;
  const gw = route['gateway'] ?? '';
  return names.has(gw) ? gw : null;
}

/**
 * Only the default routes, filtered on the router: a BGP router's full table (a million rows) would
 * hit the reply limit for nothing (issue 18). The snapshot needs where 0.0.0.0/0 goes out, no more.
 */
export const DEFAULT_ROUTES = {
  query: ['?dst-address=0.0.0.0/0'],
  proplist: ['dst-address', 'gateway', 'immediate-gw', 'disabled'],
};

export async function readSnapshot(router: RouterPort): Promise<RouterSnapshot> {
  const [
    ifaces,
    addresses,
    routes,
    dhcpServers,
    dhcpClients,
    pppoe,
    leases,
    upnp,
    upnpIfs,
    natPmp,
    natPmpIfs,
    perms,
    filter,
    nat,
  ] = await Promise.all([
    router.print('/interface'),
    router.print('/ip/address'),
    router.print('/ip/route', DEFAULT_ROUTES),
    optional(router, '/ip/dhcp-server'),
    optional(router, '/ip/dhcp-client'),
    optional(router, '/interface/pppoe-client'),
    optional(router, '/ip/dhcp-server/lease'),
    router.print('/ip/upnp'),
    router.print('/ip/upnp/interfaces'),
    optional(router, '/ip/nat-pmp'),
    optional(router, '/ip/nat-pmp/interfaces'),
    optional(router, '/ip/upnp/permissions'),
    router.print('/ip/firewall/filter'),
    router.print('/ip/firewall/nat'),
  ]);
  const names = new Set(ifaces.map((i) => i['name'] ?? ''));
  const u = upnp[0] ?? {};
  const dynamicNat = nat.filter((r) => r['dynamic'] === 'true');
  return {
    hasPermissions: perms !== null,
    hasNatPmp: natPmp !== null,
    interfaces: ifaces.map((i) => ({ name: i['name'] ?? '', type: i['type'] ?? '', comment: i['comment'] ?? '' })),
    addresses: addresses.map((a) => ({
      address: a['address'] ?? '',
      interface: a['interface'] ?? '',
      dynamic: a['dynamic'] === 'true',
    })),
    defaultRouteInterfaces: routes
      .filter((r) => r['dst-address'] === '0.0.0.0/0' && !isTrue(r['disabled']))
      .map((r) => routeInterface(r, names))
      .filter((n): n is string => !!n),
    dhcpServers: (dhcpServers ?? [])
      .filter((s) => !isTrue(s['disabled']))
      .map((s) => ({ name: s['name'] ?? '', interface: s['interface'] ?? '' })),
    dhcpClients: (dhcpClients ?? [])
      .filter((c) => !isTrue(c['disabled']))
      .map((c) => ({ interface: c['interface'] ?? '', status: c['status'] ?? '' })),
    pppoeClients: (pppoe ?? []).map((p) => ({ name: p['name'] ?? '', interface: p['interface'] ?? '' })),
    leases: leases ?? [],
    upnp: {
      enabled: isTrue(u['enabled']),
      allowDisableExternalInterface: isTrue(u['allow-disable-external-interface']),
      showDummyRule: isTrue(u['show-dummy-rule']),
    },
    upnpInterfaces: roles(upnpIfs),
    natPmp: natPmp ? { enabled: isTrue(natPmp[0]?.['enabled']) } : null,
    natPmpInterfaces: roles(natPmpIfs),
    permissions: perms ? perms.filter(isStatic) : null,
    filter: filter.filter(isStatic),
    nat: nat.filter(isStatic),
    liveMappings: {
      upnp: dynamicNat.filter((r) => (r['comment'] ?? '').startsWith('upnp ')).length,
      natPmp: dynamicNat.filter((r) => (r['comment'] ?? '').startsWith('nat-pmp ')).length,
    },
  };
}

export const interfaceNames = (s: RouterSnapshot): string[] => s.interfaces.map((i) => i.name);

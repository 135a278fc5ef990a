/** Every menu the demo router has, per profile. */
import * as fw from './menus-firewall';
import * as ip from './menus-ip';
import * as sys from './menus-system';
import * as up from './menus-upnp';
import type { TableSpec } from './schema';
import * as users from './users';

export type Profile = 'routeros7' | 'seed';

const COMMON: TableSpec[] = [
  sys.identity,
  sys.resource,
  sys.interfaces,
  sys.bridge,
  sys.bridgePort,
  sys.vlan,
  sys.service,
  ip.address,
  ip.route,
  ip.arp,
  ip.dhcpServer,
  ip.dhcpLease,
  ip.dhcpClient,
  up.upnp,
  up.upnpInterfaces,
  up.natPmp,
  up.natPmpInterfaces,
  fw.nat,
  fw.filter,
  fw.connection,
  fw.servicePort,
  fw.log,
  users.user,
  users.userGroup,
];

/** `/ip/upnp/permissions` exists only in the seed guide (routeros-facts.md: absent on 7.9–7.24). */
export function tableSpecs(profile: Profile): TableSpec[] {
  return profile === 'seed' ? [...COMMON, up.upnpPermissions] : COMMON;
}

/** Menus that are views, not tables: printed and changed through the backend. */
export const SEED_MAPPINGS_MENU = '/ip/upnp/mappings';

/**
 * Typed rows of the menus PortPilot reads (RouterOS 7 property names; seed-guide menus where noted).
 * Unknown properties are dropped, missing optional ones stay undefined; required ones fail the row
 * with a ValidationError naming the field. Schemas are loose where RouterOS versions differ.
 */
import { z } from 'zod';
import { rosBool, rosDuration, rosId, rosInt, rosOptDuration, rosOptText, rosText } from './values';

const flags = {
  disabled: rosBool.optional(),
  dynamic: rosBool.optional(),
  invalid: rosBool.optional(),
  comment: rosOptText,
};

export const systemResourceSchema = z.object({
  uptime: rosDuration,
  version: rosText,
  'board-name': rosOptText,
  'architecture-name': rosOptText,
  cpu: rosOptText,
  'cpu-load': rosInt.optional(),
  'free-memory': rosInt.optional(),
  'total-memory': rosInt.optional(),
  platform: rosOptText,
});
export type SystemResource = z.output<typeof systemResourceSchema>;

export const systemIdentitySchema = z.object({ name: rosText });
export type SystemIdentity = z.output<typeof systemIdentitySchema>;

export const interfaceSchema = z.object({
  '.id': rosId,
  name: rosText,
  type: rosOptText,
  running: rosBool.optional(),
  'mac-address': rosOptText,
  'default-name': rosOptText,
  mtu: rosOptText,
  ...flags,
});
export type RosInterface = z.output<typeof interfaceSchema>;

export const ipAddressSchema = z.object({
  '.id': rosId,
  address: rosText,
  interface: rosText,
  network: rosOptText,
  'actual-interface': rosOptText,
  ...flags,
});
export type IpAddress = z.output<typeof ipAddressSchema>;

export const ipRouteSchema = z.object({
  '.id': rosId,
  'dst-address': rosText,
  gateway: rosOptText,
  'immediate-gw': rosOptText,
  distance: rosInt.optional(),
  'routing-table': rosOptText,
  active: rosBool.optional(),
  static: rosBool.optional(),
  dhcp: rosBool.optional(),
  connect: rosBool.optional(),
  ...flags,
});
export type IpRoute = z.output<typeof ipRouteSchema>;

/** `/ip/upnp` is a singleton: one row, no `.id` (routeros-facts.md). */
export const upnpSchema = z.object({
  enabled: rosBool,
  'allow-disable-external-interface': rosBool.optional(),
  'show-dummy-rule': rosBool.optional(),
});
export type UpnpSettings = z.output<typeof upnpSchema>;

const serviceInterface = z.object({
  '.id': rosId,
  interface: rosText,
  type: z.enum(['external', 'internal']),
  'forced-ip': rosOptText,
  ...flags,
});
export const upnpInterfaceSchema = serviceInterface;
export type UpnpInterface = z.output<typeof upnpInterfaceSchema>;

export const natPmpSchema = z.object({ enabled: rosBool });
export type NatPmpSettings = z.output<typeof natPmpSchema>;

export const natPmpInterfaceSchema = serviceInterface;
export type NatPmpInterface = z.output<typeof natPmpInterfaceSchema>;

export const firewallNatSchema = z.object({
  '.id': rosId,
  chain: rosText,
  action: rosOptText,
  protocol: rosOptText,
  'dst-address': rosOptText,
  'dst-port': rosOptText,
  'in-interface': rosOptText,
  'out-interface': rosOptText,
  'to-addresses': rosOptText,
  'to-ports': rosOptText,
  bytes: rosInt.optional(),
  packets: rosInt.optional(),
  ...flags,
});
export type FirewallNatRule = z.output<typeof firewallNatSchema>;

export const dhcpLeaseSchema = z.object({
  '.id': rosId,
  address: rosText,
  'mac-address': rosOptText,
  'host-name': rosOptText,
  'active-address': rosOptText,
  status: rosOptText,
  server: rosOptText,
  'expires-after': rosOptDuration,
  'last-seen': rosOptText,
  blocked: rosBool.optional(),
  ...flags,
});
export type DhcpLease = z.output<typeof dhcpLeaseSchema>;

export const arpSchema = z.object({
  '.id': rosId,
  address: rosText,
  'mac-address': rosOptText,
  interface: rosText,
  status: rosOptText,
  complete: rosBool.optional(),
  published: rosBool.optional(),
  ...flags,
});
export type ArpEntry = z.output<typeof arpSchema>;

/** Seed guide only (absent on real RouterOS 7.9–7.24). */
export const upnpPermissionSchema = z.object({
  '.id': rosId,
  action: z.enum(['allow', 'deny']),
  interface: rosOptText,
  protocol: rosOptText,
  'dst-port': rosOptText,
  'internal-address': rosOptText,
  'internal-port': rosOptText,
  'remote-address': rosOptText,
  ...flags,
});
export type UpnpPermission = z.output<typeof upnpPermissionSchema>;

/** Seed guide only. */
export const upnpMappingSchema = z.object({
  '.id': rosId,
  protocol: rosText,
  'dst-port': rosText,
  'internal-address': rosText,
  'internal-port': rosOptText,
  'remote-address': rosOptText,
  description: rosOptText,
  lease: rosOptDuration,
  enabled: rosBool.optional(),
  dynamic: rosBool.optional(),
});
export type UpnpMapping = z.output<typeof upnpMappingSchema>;

/** The typed menus, by path: `session.print(MENUS['/ip/firewall/nat'])` style lookups. */
export const MENU_SCHEMAS = {
  '/system/resource': systemResourceSchema,
  '/system/identity': systemIdentitySchema,
  '/interface': interfaceSchema,
  '/ip/address': ipAddressSchema,
  '/ip/route': ipRouteSchema,
  '/ip/upnp': upnpSchema,
  '/ip/upnp/interfaces': upnpInterfaceSchema,
  '/ip/nat-pmp': natPmpSchema,
  '/ip/nat-pmp/interfaces': natPmpInterfaceSchema,
  '/ip/firewall/nat': firewallNatSchema,
  '/ip/dhcp-server/lease': dhcpLeaseSchema,
  '/ip/arp': arpSchema,
  '/ip/upnp/permissions': upnpPermissionSchema,
  '/ip/upnp/mappings': upnpMappingSchema,
} as const;
export type KnownMenu = keyof typeof MENU_SCHEMAS;
export type MenuRow<M extends KnownMenu> = z.output<(typeof MENU_SCHEMAS)[M]>;

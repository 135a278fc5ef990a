/**
 * /ip upnp and /ip nat-pmp. Permissions exist only in the seed guide's RouterOS (routeros-facts.md:
 * not present on 7.9–7.24); the device hides them in the routeros7 profile.
 */
import { ApiTrap } from '../api-device';
import type { TableSpec } from './schema';
import { addr, bool, iface, oneOf, ports, str } from './schema';

export const upnp: TableSpec = {
  path: '/ip/upnp',
  singleton: true,
  persist: true,
  fields: {
    enabled: bool(false),
    'allow-disable-external-interface': bool(false),
    'show-dummy-rule': bool(true),
  },
};

const interfaceFields = {
  interface: iface({ required: true }),
  type: { ...oneOf(['internal', 'external']), required: true },
  'forced-ip': addr(),
  disabled: bool(false),
  invalid: { ...str('false'), readOnly: true },
  dynamic: { ...str('false'), readOnly: true },
  comment: str(),
};

export const upnpInterfaces: TableSpec = {
  path: '/ip/upnp/interfaces',
  persist: true,
  unique: [['interface']],
  fields: interfaceFields,
};

export const upnpPermissions: TableSpec = {
  path: '/ip/upnp/permissions',
  persist: true,
  ordered: true,
  fields: {
    action: { ...oneOf(['allow', 'deny']), required: true },
    interface: iface({ allowEmpty: true }),
    protocol: oneOf(['tcp', 'udp', 'both'], 'both'),
    'dst-port': ports(),
    'internal-address': addr(),
    'internal-port': ports(),
    'remote-address': addr(),
    disabled: bool(false),
    comment: str(),
  },
};

export const natPmp: TableSpec = {
  path: '/ip/nat-pmp',
  singleton: true,
  persist: true,
  fields: { enabled: bool(false) },
};

export const natPmpInterfaces: TableSpec = {
  path: '/ip/nat-pmp/interfaces',
  persist: true,
  unique: [['interface']],
  fields: interfaceFields,
  check: (row, _ctx, others) => {
    if (row.type === 'external' && others.some((o) => o.type === 'external')) {
      throw new ApiTrap('failure: only one external interface can be added to the list');
    }
  },
};

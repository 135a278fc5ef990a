/**
 * Renaming an interface renames every reference to it, as RouterOS does (items refer to interfaces by
 * id internally; the console and API show the current name). Common in practice: `ether1` → `ether1-wan`.
 */
import type { Row } from '../api-device';
import type { DeviceState } from './device-state';

const NAMED = new Set(['/interface', '/interface/bridge', '/interface/vlan']);

const REFERENCES: Array<[string, string[]]> = [
  ['/interface/bridge/port', ['interface', 'bridge']],
  ['/interface/vlan', ['interface']],
  ['/ip/address', ['interface']],
  ['/ip/arp', ['interface']],
  ['/ip/route', ['gateway', 'immediate-gw']],
  ['/ip/dhcp-server', ['interface']],
  ['/ip/dhcp-client', ['interface']],
  ['/ip/upnp/interfaces', ['interface']],
  ['/ip/nat-pmp/interfaces', ['interface']],
  ['/ip/upnp/permissions', ['interface']],
  ['/ip/firewall/nat', ['in-interface', 'out-interface']],
  ['/ip/firewall/filter', ['in-interface', 'out-interface']],
];

export type Rename = { from: string; to: string };

/** Before a `set name=...`: the names that are about to change. */
export function pendingRenames(
  dev: DeviceState,
  path: string,
  verb: string,
  attrs: Row,
  ids: string | undefined,
): Rename[] {
  if (verb !== 'set' || attrs.name === undefined || !NAMED.has(path)) return [];
  return dev
    .table(path)
    .targets(ids)
    .filter((r) => r.name !== undefined && r.name !== attrs.name)
    .map((r) => ({ from: r.name ?? '', to: attrs.name ?? '' }));
}

export function applyRenames(dev: DeviceState, renames: Rename[]): void {
  for (const { from, to } of renames) {
    for (const [path, fields] of REFERENCES) {
      if (!dev.has(path)) continue;
      const table = dev.table(path);
      for (const row of table.all()) {
        const changes: Row = {};
        for (const f of fields) {
          const v = row[f];
          if (v === from) changes[f] = to;
          else if (v === `!${from}`) changes[f] = `!${to}`;
          else if (f === 'immediate-gw' && v?.endsWith(`%${from}`)) changes[f] = v.replace(`%${from}`, `%${to}`);
        }
        if (Object.keys(changes).length > 0) table.update(row, changes);
      }
    }
    // A bridge or VLAN renamed through /interface keeps its own menu in step (and the reverse is done
    // by the /interface mirror).
    for (const path of ['/interface/bridge', '/interface/vlan']) {
      const item = dev
        .table(path)
        .all()
        .find((r) => r.name === from);
      if (item) dev.table(path).update(item, { name: to });
    }
    const iface = dev
      .table('/interface')
      .all()
      .find((r) => r.name === from);
    if (iface) dev.table('/interface').update(iface, { name: to });
  }
}

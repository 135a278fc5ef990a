/**
 * Side effects RouterOS ties to menus:
 * - any change under /ip upnp (settings, interfaces, permissions) restarts the UPnP service and flushes
 *   its dynamic mappings ([MM] manual.mikrotik.com, routeros-facts.md); the same for /ip nat-pmp;
 * - bridges and VLANs appear in /interface; disabling an interface stops it running;
 * - every change to a persisted menu is a configuration change (state file).
 */
import type { Row } from '../api-device';
import type { DeviceState } from './device-state';
import { macFor } from './scenarios/macs';

const MIRRORED: Record<string, string> = { '/interface/bridge': 'bridge', '/interface/vlan': 'vlan' };

export function afterChange(dev: DeviceState, path: string, verb: string): void {
  if (path === '/ip/upnp' || path.startsWith('/ip/upnp/')) dev.backend.restart(['upnp']);
  if (path === '/ip/nat-pmp' || path.startsWith('/ip/nat-pmp/')) dev.backend.restart(['nat-pmp']);
  if (path === '/interface') syncRunning(dev);
  const type = MIRRORED[path];
  if (type) mirrorInterfaces(dev, path, type);
  if (path === '/interface' && ['set', 'enable', 'disable'].includes(verb)) syncMirrorsBack(dev);
  if (dev.table(path).spec.persist) dev.configChanged(path);
}

export function afterRemove(dev: DeviceState, path: string, removed: Row[]): void {
  if (path === '/ip/firewall/nat') {
    for (const row of removed) if (row.dynamic === 'true') dev.backend.ruleRemoved(row['.id'] ?? '');
  }
  const type = MIRRORED[path];
  if (!type) return;
  const names = new Set(removed.map((r) => r.name));
  dev.table('/interface').dropWhere((r) => r.type === type && names.has(r.name));
  dev.table('/interface/bridge/port').dropWhere((r) => names.has(r.bridge) || names.has(r.interface));
  // Items that referred to the interface stay, flagged invalid (the console's `I` flag).
  for (const p of ['/ip/upnp/interfaces', '/ip/nat-pmp/interfaces', '/ip/address']) {
    const t = dev.table(p);
    for (const row of t.all()) if (names.has(row.interface)) t.update(row, { invalid: 'true' });
  }
}

/** A disabled interface is not running; an enabled one runs (the demo has no cables to pull). */
function syncRunning(dev: DeviceState): void {
  const t = dev.table('/interface');
  for (const row of t.all()) {
    const running = row.disabled === 'true' ? 'false' : 'true';
    if (row.running !== running) t.update(row, { running });
  }
}

/** /interface/bridge and /interface/vlan entries show up in /interface with the same name. */
function mirrorInterfaces(dev: DeviceState, path: string, type: string): void {
  const ifaces = dev.table('/interface');
  for (const item of dev.table(path).all()) {
    const existing = ifaces.all().find((r) => r.type === type && r['_mirror'] === item['.id']);
    const values = { name: item.name ?? '', disabled: item.disabled ?? 'false', comment: item.comment ?? '' };
    if (existing) {
      ifaces.update(existing, { ...values, running: values.disabled === 'true' ? 'false' : 'true' });
      continue;
    }
    const mac = item['mac-address'] || macFor(`${type}:${item.name}`);
    dev.table(path).update(item, { 'mac-address': mac }, true);
    ifaces.add({ ...values, type, 'mac-address': mac, _mirror: item['.id'] ?? '' }, { trusted: true });
  }
}

function syncMirrorsBack(dev: DeviceState): void {
  for (const [path, type] of Object.entries(MIRRORED)) {
    const t = dev.table(path);
    for (const row of dev.table('/interface').all()) {
      if (row.type !== type) continue;
      const item = t.find(row['_mirror'] ?? '');
      if (item && item.disabled !== row.disabled) t.update(item, { disabled: row.disabled ?? 'false' }, true);
    }
  }
}

/**
 * Wizard step 4: LAN devices from the DHCP leases, with the vendor looked up from the MAC's OUI (IEEE
 * registry via the `oui-data` package) and a suggested preset.
 */
import { createRequire } from 'node:module';
import type { RawRow } from '../../core/router-port';
import type { PermissionRule } from '../permissions';
import { PRESETS, type DevicePreset } from './presets';

export interface LanDevice {
  address: string;
  mac: string;
  hostName: string;
  vendor: string | null;
  online: boolean;
  suggested: DevicePreset['id'] | null;
}

let ouiTable: Record<string, string> | null = null;

/** Loaded on first use (a few MB of JSON), not at import time. */
export function vendorOf(mac: string): string | null {
  if (!ouiTable) ouiTable = createRequire(import.meta.url)('oui-data') as Record<string, string>;
  const key = mac
    .replace(/[^0-9a-f]/gi, '')
    .slice(0, 6)
    .toUpperCase();
  const entry = ouiTable[key];
  return entry ? (entry.split('\n')[0] ?? null) : null;
}

/** A preset the router already applies to this address (an allow rule for its ports), if any. */
function presetInForce(address: string, policy: PermissionRule[]): DevicePreset['id'] | null {
  const mine = policy.filter((r) => r.action === 'allow' && r.internalAddress === address);
  const hit = PRESETS.find((p) =>
    p.ports.every((x) =>
      mine.some((r) => r.dstPort === x.ports && (r.protocol === x.protocol || r.protocol === 'both')),
    ),
  );
  return hit?.id ?? null;
}

/**
 * `policy` = the restrictions in force: a device that already has a preset's rules is suggested that
 * preset, so re-running the wizard on a configured router keeps them (and plans nothing).
 */
export function devicesFromLeases(leases: RawRow[], policy: PermissionRule[] = []): LanDevice[] {
  const out: LanDevice[] = [];
  for (const l of leases) {
    const address = l['active-address'] || l['address'] || '';
    const mac = l['active-mac-address'] || l['mac-address'] || '';
    if (!address || out.some((d) => d.address === address)) continue;
    const hostName = l['active-host-name'] || l['host-name'] || '';
    const vendor = mac ? vendorOf(mac) : null;
    const hay = `${hostName} ${vendor ?? ''}`;
    const suggested = presetInForce(address, policy) ?? PRESETS.find((p) => p.hints.test(hay))?.id ?? null;
    out.push({ address, mac, hostName, vendor, online: l['status'] === 'bound', suggested });
  }
  return out.sort(
    (a, b) => Number(b.online) - Number(a.online) || a.address.localeCompare(b.address, undefined, { numeric: true }),
  );
}

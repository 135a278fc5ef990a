/**
 * Wizard step 4: LAN devices from the DHCP leases, with the vendor looked up from the MAC's OUI (IEEE
 * registry via the `oui-data` package) and a suggested preset.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { LanDevice as LanDeviceView } from '../../../shared/domains/config';
import type { RawRow } from '../../core/router-port';
import { createOuiLoader, lookupFrom, parseOuiJson, type VendorLookup } from '../../mappings/oui';
import type { PermissionRule } from '../permissions';
import { PRESETS, type DevicePreset } from './presets';

/** A LAN device as the wizard shows it, its suggestion narrowed to a known preset id. */
export interface LanDevice extends LanDeviceView {
  suggested: DevicePreset['id'] | null;
}

/** The IEEE registry is read once (5.6 MB) and shared with the mappings monitor's loader code. */
const oui = createOuiLoader();
export const loadVendorLookup = (): Promise<VendorLookup> => oui.load();

let syncLookup: VendorLookup | null = null;

/** Synchronous lookup for callers that cannot await (reads the registry on first use, vendor lines only). */
export function vendorOf(mac: string): string | null {
  syncLookup ??=
    oui.ready() ?? lookupFrom(parseOuiJson(readFileSync(createRequire(import.meta.url).resolve('oui-data'), 'utf8')));
  return syncLookup(mac);
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
export function devicesFromLeases(
  leases: RawRow[],
  vendorOf: VendorLookup,
  policy: PermissionRule[] = [],
): LanDevice[] {
  const out: LanDevice[] = [];
  for (const l of leases) {
    const address = l['active-address'] || l['address'] || '';
    const mac = l['active-mac-address'] || l['mac-address'] || '';
    if (!address || out.some((d) => d.address === address)) continue;
    const hostName = l['active-host-name'] || l['host-name'] || '';
    const vendor = vendorOf(mac);
    const hay = `${hostName} ${vendor ?? ''}`;
    const suggested = presetInForce(address, policy) ?? PRESETS.find((p) => p.hints.test(hay))?.id ?? null;
    out.push({ address, mac, hostName, vendor, online: l['status'] === 'bound', suggested });
  }
  return out.sort(
    (a, b) => Number(b.online) - Number(a.online) || a.address.localeCompare(b.address, undefined, { numeric: true }),
  );
}

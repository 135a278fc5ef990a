/**
 * Wizard step 4: LAN devices from the DHCP leases, with the vendor looked up from the MAC's OUI (IEEE
 * registry via the `oui-data` package) and a suggested preset.
 */
import { readFileSync } from 'node:fs';
import type { LanDevice as LanDeviceView } from '../../../shared/domains/config';
import type { RawRow } from '../../core/router-port';
import { createOuiLoader, lookupFrom, ouiDataPath, type VendorLookup } from '../../mappings/oui';
import { indexOui } from '../../mappings/oui-index';
import type { PermissionRule } from '../permissions';
import { overlaps } from '../protection';
import { PRESETS, type DevicePreset, type PortSpec } from './presets';

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
  syncLookup ??= oui.ready() ?? lookupFrom(indexOui(readFileSync(ouiDataPath())));
  return syncLookup(mac);
}

/**
 * A preset the router already applies to this address, if any: an allow rule for this address for at
 * least one of its ports, and for every other port either an allow rule or no deny that would block it.
 * On RouterOS 7 PortPilot writes an allow only where a deny would catch the port (protection.ts), so an
 * Xbox's UDP 88 and 500 are rules there and its UDP 3074 is not (issue 13: a re-run removed them).
 */
function presetInForce(address: string, policy: PermissionRule[]): DevicePreset['id'] | null {
  const mine = policy.filter((r) => r.action === 'allow' && r.internalAddress === address);
  const denies = policy.filter((r) => r.action === 'deny');
  const allowed = (x: PortSpec) =>
    mine.some((r) => r.dstPort === x.ports && (r.protocol === x.protocol || r.protocol === 'both'));
  const blocked = (x: PortSpec) =>
    denies.some((d) =>
      overlaps(
        { action: 'allow', interface: '', protocol: x.protocol, dstPort: x.ports, internalAddress: '', comment: '' },
        d,
      ),
    );
  const hit = PRESETS.find((p) => p.ports.some(allowed) && p.ports.every((x) => allowed(x) || !blocked(x)));
  return hit?.id ?? null;
}

/** In force on the router, else remembered from the last wizard run, else guessed from name and vendor. */
function suggestion(
  address: string,
  hay: string,
  policy: PermissionRule[],
  remembered: Record<string, string>,
): DevicePreset['id'] | null {
  const inForce = presetInForce(address, policy);
  if (inForce) return inForce;
  if (Object.hasOwn(remembered, address)) return PRESETS.find((p) => p.id === remembered[address])?.id ?? null;
  return PRESETS.find((p) => p.hints.test(hay))?.id ?? null;
}

/**
 * `policy` = the restrictions in force: a device that already has a preset's rules is suggested that
 * preset, so re-running the wizard on a configured router keeps them (and plans nothing). `remembered`
 * = each device's preset at the wizard's last apply on this router ('' = none chosen): it comes next,
 * before the guess from the host name and vendor, so a choice that left no rule is kept too.
 */
export function devicesFromLeases(
  leases: RawRow[],
  vendorOf: VendorLookup,
  policy: PermissionRule[] = [],
  remembered: Record<string, string> = {},
): LanDevice[] {
  const out: LanDevice[] = [];
  for (const l of leases) {
    const address = l['active-address'] || l['address'] || '';
    const mac = l['active-mac-address'] || l['mac-address'] || '';
    if (!address || out.some((d) => d.address === address)) continue;
    const hostName = l['active-host-name'] || l['host-name'] || '';
    const vendor = vendorOf(mac);
    const hay = `${hostName} ${vendor ?? ''}`;
    const suggested = suggestion(address, hay, policy, remembered);
    out.push({ address, mac, hostName, vendor, online: l['status'] === 'bound', suggested });
  }
  return out.sort(
    (a, b) => Number(b.online) - Number(a.online) || a.address.localeCompare(b.address, undefined, { numeric: true }),
  );
}

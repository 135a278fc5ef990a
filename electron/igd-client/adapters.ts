/**
 * This PC's network adapters, as `os.networkInterfaces()` reports them, classified for "Test from this
 * PC" on multi-homed machines (issue 15): SSDP searches go out on every physical adapter with a private
 * IPv4 address, never on the virtual switches and tunnels a Windows, macOS or Linux PC collects
 * (Hyper-V/WSL, VirtualBox, VMware, Docker, Tailscale, ZeroTier, WireGuard, OpenVPN), and a mapping is
 * made for the address of the adapter that found the gateway.
 *
 * An adapter is recognised by its name (Windows: the connection's friendly name, "vEthernet (WSL)";
 * macOS/Linux: the kernel's, utun3, docker0) or, when the name says nothing ("Ethernet 3" is often a
 * VirtualBox or TAP adapter on Windows), by the OUI of its MAC address (IEEE registry). A MAC alone is
 * weaker evidence: inside a virtual machine the only real adapter has the hypervisor's OUI, so such an
 * adapter is still used when it carries the default route. The user can always name the adapter.
 */
import type os from 'node:os';
import { HostNetworkError } from './errors';

export type AdapterKind = 'physical' | 'virtual' | 'tunnel';
export type AdapterAddressClass = 'private' | 'link-local' | 'loopback' | 'cgnat' | 'other';

/** One IPv4 address of one adapter (an adapter with two addresses appears twice). */
export interface Adapter {
  name: string;
  address: string;
  netmask: string;
  prefixLength: number;
  mac: string;
  internal: boolean;
  kind: AdapterKind;
  /** What it is when not physical ("Hyper-V / WSL virtual switch"); null for a physical adapter. */
  why: string | null;
  /** How it was recognised: its name, its MAC's OUI, or having no MAC at all (a point-to-point tunnel). */
  matchedBy: 'name' | 'mac' | 'no-mac' | null;
  addressClass: AdapterAddressClass;
}

interface NameRule {
  test: RegExp;
  kind: Exclude<AdapterKind, 'physical'>;
  why: string;
}

const NAME_RULES: readonly NameRule[] = [
  { test: /^vEthernet\b/i, kind: 'virtual', why: 'Hyper-V / WSL virtual switch' },
  { test: /VirtualBox|^vboxnet\d/i, kind: 'virtual', why: 'VirtualBox host-only network' },
  { test: /VMware|^vmnet\d/i, kind: 'virtual', why: 'VMware virtual network' },
  { test: /^docker\d*$|^br-[0-9a-f]{12}$|^veth/i, kind: 'virtual', why: 'Docker bridge' },
  {
    test: /^(virbr|vnet|lxcbr|lxdbr|incusbr|podman|cni)\d|^(flannel|cali|kube)/i,
    kind: 'virtual',
    why: 'virtual machine or container bridge',
  },
  { test: /^bridge1\d\d$|^vmenet\d/i, kind: 'virtual', why: 'macOS virtual machine / Internet Sharing bridge' },
  { test: /^(awdl|llw)\d+$/i, kind: 'virtual', why: 'Apple Wireless Direct Link (AirDrop)' },
  // Windows names the Wi-Fi Direct / Mobile hotspot adapter "Local Area Connection* 10" (German
  // "LAN-Verbindung* 10"); the hotspot hands out 192.168.137.x, a private range like a LAN's.
  { test: /^[^*]+\* ?\d+$/, kind: 'virtual', why: 'Windows Wi-Fi Direct / Mobile hotspot adapter' },
  { test: /Tailscale/i, kind: 'tunnel', why: 'Tailscale VPN' },
  { test: /ZeroTier|^zt[0-9a-z]{8,}$/i, kind: 'tunnel', why: 'ZeroTier virtual network' },
  { test: /WireGuard|^wg\d+$|^wg-|NordLynx|Mullvad/i, kind: 'tunnel', why: 'WireGuard VPN' },
  { test: /OpenVPN|TAP-Windows|Wintun|^tap\d*$|^tun\d*$/i, kind: 'tunnel', why: 'OpenVPN / TAP / TUN VPN adapter' },
  {
    test: /ProtonVPN|NordVPN|AnyConnect|FortiClient|GlobalProtect|PANGP|Pulse Secure/i,
    kind: 'tunnel',
    why: 'VPN adapter',
  },
  { test: /^(utun|ipsec|ppp|gif|stf)\d*$/i, kind: 'tunnel', why: 'VPN tunnel' },
];

/** OUI prefixes (IEEE registry) that only hypervisors and virtual adapters use. */
const MAC_RULES: readonly { prefix: string; kind: Exclude<AdapterKind, 'physical'>; why: string }[] = [
  { prefix: '00:15:5d', kind: 'virtual', why: 'Hyper-V virtual adapter (MAC 00:15:5D)' },
  { prefix: '08:00:27', kind: 'virtual', why: 'VirtualBox adapter (MAC 08:00:27)' },
  { prefix: '0a:00:27', kind: 'virtual', why: 'VirtualBox host-only adapter (MAC 0A:00:27)' },
  { prefix: '00:50:56', kind: 'virtual', why: 'VMware adapter (MAC 00:50:56)' },
  { prefix: '00:0c:29', kind: 'virtual', why: 'VMware adapter (MAC 00:0C:29)' },
  { prefix: '00:05:69', kind: 'virtual', why: 'VMware adapter (MAC 00:05:69)' },
  { prefix: '00:1c:14', kind: 'virtual', why: 'VMware adapter (MAC 00:1C:14)' },
  { prefix: '00:1c:42', kind: 'virtual', why: 'Parallels adapter (MAC 00:1C:42)' },
  { prefix: '52:54:00', kind: 'virtual', why: 'QEMU/KVM adapter (MAC 52:54:00)' },
  { prefix: '00:16:3e', kind: 'virtual', why: 'Xen adapter (MAC 00:16:3E)' },
  { prefix: '02:42:', kind: 'virtual', why: 'Docker bridge (MAC 02:42)' },
  // TAP-Windows (OpenVPN) makes up its MAC as 00:FF plus four bytes.
  { prefix: '00:ff:', kind: 'tunnel', why: 'TAP-Windows VPN adapter (MAC 00:FF)' },
];

const NO_MAC = '00:00:00:00:00:00';

/** What an adapter's name alone says it is (null: nothing, probably physical). */
export function kindOfName(name: string): Pick<Adapter, 'kind' | 'why'> | null {
  const byName = NAME_RULES.find((r) => r.test.test(name.trim()));
  return byName ? { kind: byName.kind, why: byName.why } : null;
}

/** What an adapter is, from its name first, then its MAC. */
export function classifyAdapter(name: string, mac: string): Pick<Adapter, 'kind' | 'why' | 'matchedBy'> {
  const byName = kindOfName(name);
  if (byName) return { ...byName, matchedBy: 'name' };
  const m = mac.toLowerCase();
  const byMac = MAC_RULES.find((r) => m.startsWith(r.prefix));
  if (byMac) return { kind: byMac.kind, why: byMac.why, matchedBy: 'mac' };
  if (m === NO_MAC || m === '')
    return { kind: 'tunnel', why: 'no hardware address: a point-to-point tunnel', matchedBy: 'no-mac' };
  return { kind: 'physical', why: null, matchedBy: null };
}

/** Dotted IPv4 to an unsigned 32-bit number; NaN when it is not one. */
export function ipv4ToNumber(address: string): number {
  const parts = address.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return NaN;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

/** Prefix length of a dotted netmask (255.255.255.0 → 24); 32 for anything that is not a mask. */
export function maskToPrefix(netmask: string): number {
  const n = ipv4ToNumber(netmask);
  if (Number.isNaN(n)) return 32;
  const bits = n.toString(2).padStart(32, '0');
  if (!/^1*0*$/.test(bits)) return 32;
  const firstZero = bits.indexOf('0');
  return firstZero === -1 ? 32 : firstZero;
}

/** Whether `host` lies in `address`/`prefixLength`. */
export function inSubnet(host: string, address: string, prefixLength: number): boolean {
  const h = ipv4ToNumber(host);
  const a = ipv4ToNumber(address);
  if (Number.isNaN(h) || Number.isNaN(a)) return false;
  const size = 2 ** (32 - Math.max(0, Math.min(32, prefixLength)));
  return Math.floor(h / size) === Math.floor(a / size);
}

function addressClass(address: string): AdapterAddressClass {
  const n = ipv4ToNumber(address);
  const a = Math.floor(n / 2 ** 24);
  const b = Math.floor(n / 2 ** 16) % 256;
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'private';
  if (a === 169 && b === 254) return 'link-local';
  if (a === 127) return 'loopback';
  if (a === 100 && b >= 64 && b <= 127) return 'cgnat';
  return 'other';
}

/** Every IPv4 address of every adapter, classified. */
export function listAdapters(ifaces: NodeJS.Dict<os.NetworkInterfaceInfo[]>): Adapter[] {
  const out: Adapter[] = [];
  for (const [name, infos] of Object.entries(ifaces)) {
    for (const info of infos ?? []) {
      // Node 18.0–18.3 reported family as a number; accept both.
      const v4 = info.family === 'IPv4' || (info.family as unknown) === 4;
      if (!v4 || Number.isNaN(ipv4ToNumber(info.address))) continue;
      const mac = (info.mac ?? '').toLowerCase();
      const kind = info.internal
        ? { kind: 'virtual' as const, why: 'loopback', matchedBy: 'name' as const }
        : classifyAdapter(name, mac);
      out.push({
        name,
        address: info.address,
        netmask: info.netmask,
        prefixLength: maskToPrefix(info.netmask),
        mac,
        internal: info.internal,
        ...kind,
        addressClass: addressClass(info.address),
      });
    }
  }
  return out;
}

/** `"WLAN" 192.168.1.20/24` — how evidence names an adapter. */
export const describeAdapter = (a: Adapter): string => `"${a.name}" ${a.address}/${a.prefixLength}`;

/** The adapter whose subnet holds `host` (a non-internal one first); undefined when none does. */
export function adapterOnSubnet(adapters: readonly Adapter[], host: string): Adapter | undefined {
  const on = adapters.filter((a) => inSubnet(host, a.address, a.prefixLength));
  return on.find((a) => !a.internal && a.kind === 'physical') ?? on.find((a) => !a.internal) ?? on[0];
}

export interface AdapterSelection {
  /** Adapters to search from, in the order found. */
  use: Adapter[];
  /** Adapters left out, each with the reason (shown as evidence). */
  skipped: { adapter: Adapter; why: string }[];
  /** A sentence when the choice was not the usual one (the user's adapter, a VM's own NIC, no private address). */
  notes: string[];
}

export interface SelectOptions {
  /** The adapter the user chose by name; only it is used, whatever it is. */
  choose?: string;
  /** The adapter that carries this PC's default route: kept even when its MAC looks virtual (a VM's NIC). */
  routeIface?: string;
}

function chosenOnly(candidates: Adapter[], choose: string): AdapterSelection {
  const want = choose.trim().toLowerCase();
  const use = candidates.filter((a) => a.name.toLowerCase() === want);
  if (use.length === 0) {
    const names = [...new Set(candidates.map((a) => `"${a.name}"`))].join(', ') || 'none';
    throw new HostNetworkError(
      'unknown-adapter',
      `This PC has no adapter named "${choose}" with an IPv4 address. Adapters with one: ${names}.`,
    );
  }
  const skipped = candidates
    .filter((a) => !use.includes(a))
    .map((adapter) => ({ adapter, why: 'not the adapter you chose' }));
  return { use, skipped, notes: [`using only the adapter you chose: ${use.map(describeAdapter).join(', ')}`] };
}

/**
 * The adapters to search for gateways from: every physical adapter with a private IPv4 address (RFC
 * 1918 — a home LAN), or the user's choice. Without any private one, the other physical ones.
 */
export function discoveryAdapters(adapters: readonly Adapter[], opts: SelectOptions = {}): AdapterSelection {
  const candidates = adapters.filter(
    (a) => !a.internal && a.addressClass !== 'link-local' && a.addressClass !== 'loopback',
  );
  if (opts.choose) return chosenOnly(candidates, opts.choose);
  const skipped: AdapterSelection['skipped'] = [];
  const notes: string[] = [];
  const physical: Adapter[] = [];
  for (const a of candidates) {
    if (a.kind === 'physical') physical.push(a);
    else if (a.matchedBy === 'mac' && a.name === opts.routeIface) {
      physical.push(a);
      notes.push(
        `${describeAdapter(a)} looks like a ${a.why ?? 'virtual adapter'}, but it carries the default route: PortPilot runs inside that virtual machine, so it is used`,
      );
    } else skipped.push({ adapter: a, why: a.why ?? a.kind });
  }
  const privateOnes = physical.filter((a) => a.addressClass === 'private');
  const use = privateOnes.length > 0 ? privateOnes : physical;
  for (const a of physical)
    if (!use.includes(a)) skipped.push({ adapter: a, why: 'not a private (RFC 1918) address, so not a home LAN' });
  if (privateOnes.length === 0 && use.length > 0)
    notes.push(`no adapter has a private (RFC 1918) address; searching from ${use.map(describeAdapter).join(', ')}`);
  return { use, skipped, notes };
}

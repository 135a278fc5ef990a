/**
 * What the checks read from the router, once per run: the configuration snapshot the change plans
 * use (electron/config/snapshot.ts) plus the tables that say where a device is and what it maps
 * (ARP, bridge ports, VLANs, the dynamic NAT rules UPnP/NAT-PMP create, the NAT helpers).
 */
import { readSnapshot, type RouterSnapshot } from '../config/snapshot';
import { isNoSuchCommand, isTrue, type RawRow, type RouterPort } from '../core/router-port';
import { createOuiLoader, type VendorLookup } from '../mappings/oui';

/** The IEEE OUI registry (oui-data), read on first use and kept. */
const oui = createOuiLoader();

export interface Mapping {
  source: 'upnp' | 'nat-pmp';
  protocol: string;
  externalPort: number;
  internalPort: number;
  address: string;
  description: string;
}

export interface DiagnoseContext {
  s: RouterSnapshot;
  arp: RawRow[];
  bridgePorts: Array<{ interface: string; bridge: string }>;
  vlans: Array<{ name: string; interface: string }>;
  /** /ip/firewall/service-port (NAT helpers); null when the menu is missing. */
  servicePorts: RawRow[] | null;
  mappings: Mapping[];
  /** The router's own WAN address (on the external interface, else the default-route interface). */
  wanAddress: string | null;
  /** The external UPnP interface, else the interface carrying the default route. */
  wan: string;
  /** The RouterOS version (`7.19.2 (stable)`), for fixes that need a minimum version. */
  routerVersion?: string;
  /** What the IGD answered to GetExternalIPAddress, when PortPilot could ask it. */
  igdExternalIp?: string;
  /** MAC → vendor (IEEE OUI registry). */
  vendorOf: VendorLookup;
}

async function optional(router: RouterPort, menu: string, query?: string[]): Promise<RawRow[] | null> {
  try {
    return await router.print(menu, query ? { query } : undefined);
  } catch (err) {
    if (isNoSuchCommand(err)) return null;
    throw err;
  }
}

/** `upnp 192.168.88.10: ApplicationX` (routeros-facts.md) → source, address, description. */
export function mappingFromRule(row: RawRow): Mapping | null {
  const m = /^(upnp|nat-pmp) ([\d.]+):\s*(.*)$/.exec(row['comment'] ?? '');
  if (!m || row['chain'] !== 'dstnat') return null;
  const ext = Number((row['dst-port'] ?? '').split('-')[0]);
  const int = Number((row['to-ports'] ?? '').split('-')[0]) || ext;
  return {
    source: m[1] === 'nat-pmp' ? 'nat-pmp' : 'upnp',
    protocol: row['protocol'] ?? '',
    externalPort: ext,
    internalPort: int,
    address: row['to-addresses'] ?? m[2] ?? '',
    description: m[3] ?? '',
  };
}

const bare = (cidr: string): string => cidr.split('/')[0] ?? '';

export async function readContext(router: RouterPort, igdExternalIp?: string): Promise<DiagnoseContext> {
  const [s, arp, ports, vlans, servicePorts, dynamicNat, vendorOf] = await Promise.all([
    readSnapshot(router),
    optional(router, '/ip/arp'),
    optional(router, '/interface/bridge/port'),
    optional(router, '/interface/vlan'),
    optional(router, '/ip/firewall/service-port'),
    router.print('/ip/firewall/nat', { query: ['?dynamic=true'] }),
    oui.load(),
  ]);
  const external = s.upnpInterfaces.find((r) => r.type === 'external' && !r.disabled)?.interface;
  const wan = external ?? s.defaultRouteInterfaces[0] ?? '';
  const wanAddr = s.addresses.find((a) => a.interface === wan)?.address;
  return {
    s,
    arp: arp ?? [],
    bridgePorts: (ports ?? [])
      .filter((p) => !isTrue(p['disabled']))
      .map((p) => ({ interface: p['interface'] ?? '', bridge: p['bridge'] ?? '' })),
    vlans: (vlans ?? []).map((v) => ({ name: v['name'] ?? '', interface: v['interface'] ?? '' })),
    servicePorts,
    mappings: dynamicNat.map(mappingFromRule).filter((m): m is Mapping => m !== null),
    wanAddress: wanAddr ? bare(wanAddr) : null,
    wan,
    vendorOf,
    routerVersion: router.capabilities?.version ?? '',
    ...(igdExternalIp !== undefined ? { igdExternalIp } : {}),
  };
}

export const activeRoles = (c: DiagnoseContext) => c.s.upnpInterfaces.filter((r) => !r.disabled);
export const internalNames = (c: DiagnoseContext): string[] =>
  activeRoles(c)
    .filter((r) => r.type === 'internal')
    .map((r) => r.interface);

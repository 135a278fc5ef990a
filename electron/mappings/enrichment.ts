/**
 * The facts around the mappings that are not mapping changes: who owns an address (DHCP leases, ARP),
 * which mappings carry traffic (rule counters, /ip/firewall/connection), and the internal subnets.
 * Re-read every few seconds with narrow proplists; this is not polling for mapping changes (those
 * arrive through `listen`). Real RouterOS does not push counter changes through `listen`
 * (traffic.ts in the demo notes the deviation), so counters are read here too.
 */
import type { RawRow, RouterPort } from '../core/router-port';
import { isNoSuchCommand } from '../core/router-port';
import { parseDuration } from '../routeros/duration';
import { splitHostPort, subnetOf, type Subnet } from './model';

export interface HostInfo {
  hostName: string | null;
  mac: string | null;
  interface: string | null;
  present: boolean;
  lastSeenAt: number | null;
}

export interface Enrichment {
  at: number;
  hosts: Map<string, HostInfo>;
  /** `tcp 192.168.88.10:55000`: a tracked dst-nat connection to that internal address and port. */
  connections: Set<string>;
  subnets: { upnp: Subnet[]; natPmp: Subnet[] };
  /** rule id → `bytes/packets`. */
  counters: Map<string, string>;
}

export const connectionKey = (protocol: string, address: string, port: number): string =>
  `${protocol} ${address}:${port}`;

export const emptyEnrichment = (at: number): Enrichment => ({
  at,
  hosts: new Map(),
  connections: new Set(),
  subnets: { upnp: [], natPmp: [] },
  counters: new Map(),
});

async function printOrEmpty(router: RouterPort, menu: string, options: Parameters<RouterPort['print']>[1]) {
  try {
    return await router.print(menu, options);
  } catch (err) {
    if (isNoSuchCommand(err)) return [];
    throw err;
  }
}

export function hostsFrom(leases: RawRow[], arp: RawRow[], now: number): Map<string, HostInfo> {
  const hosts = new Map<string, HostInfo>();
  for (const l of leases) {
    const address = l['active-address'] || l['address'];
    if (!address) continue;
    const bound = l['status'] === 'bound';
    const ago = parseDuration(l['last-seen'] ?? '') ?? null;
    hosts.set(address, {
      hostName: l['host-name'] || l['active-host-name'] || null,
      mac: l['mac-address'] || l['active-mac-address'] || null,
      interface: null,
      present: bound,
      lastSeenAt: bound ? now : ago === null ? null : now - ago,
    });
  }
  for (const a of arp) {
    const address = a['address'];
    if (!address) continue;
    // RouterOS ARP status: failed/incomplete entries mean the host does not answer.
    const live = a['status'] !== 'failed' && a['status'] !== 'incomplete' && a['disabled'] !== 'true';
    const known = hosts.get(address);
    hosts.set(address, {
      hostName: known?.hostName ?? null,
      mac: a['mac-address'] || known?.mac || null,
      interface: a['interface'] || null,
      present: live || (known?.present ?? false),
      lastSeenAt: live ? now : (known?.lastSeenAt ?? null),
    });
  }
  return hosts;
}

function internalSubnets(roles: RawRow[], addresses: RawRow[]): Subnet[] {
  const internal = new Set(
    roles.filter((r) => r['type'] === 'internal' && r['disabled'] !== 'true').map((r) => r['interface']),
  );
  return addresses
    .filter((a) => internal.has(a['interface']) && a['disabled'] !== 'true')
    .map((a) => subnetOf(a['address'] ?? '', a['interface'] ?? ''))
    .filter((s): s is Subnet => s !== null);
}

const ROLE_PROPS = ['interface', 'type', 'disabled'];

/**
 * `counters: false` at snapshot time: the snapshot's own NAT rows carry bytes/packets, and a second
 * print of 10,000 rules would double the snapshot's cost.
 */
export async function readEnrichment(
  router: RouterPort,
  now: number,
  opts: { counters?: boolean } = {},
): Promise<Enrichment> {
  // One round trip: every read goes out at once (issue 14: the interface roles used to wait for the
  // addresses, and at snapshot time each extra round trip queued behind thousands of NAT rows).
  const [leases, arp, conns, counters, addresses, upnpRoles, natPmpRoles] = await Promise.all([
    printOrEmpty(router, '/ip/dhcp-server/lease', {
      proplist: ['address', 'active-address', 'mac-address', 'active-mac-address', 'host-name', 'status', 'last-seen'],
    }),
    printOrEmpty(router, '/ip/arp', { proplist: ['address', 'mac-address', 'interface', 'status', 'disabled'] }),
    printOrEmpty(router, '/ip/firewall/connection', {
      query: ['?dstnat=true'],
      proplist: ['protocol', 'reply-src-address'],
    }),
    opts.counters === false
      ? Promise.resolve([])
      : router.print('/ip/firewall/nat', { query: ['?dynamic=true'], proplist: ['.id', 'bytes', 'packets'] }),
    printOrEmpty(router, '/ip/address', { proplist: ['address', 'interface', 'disabled'] }),
    printOrEmpty(router, '/ip/upnp/interfaces', { proplist: ROLE_PROPS }),
    router.capabilities.menus.natPmp
      ? printOrEmpty(router, '/ip/nat-pmp/interfaces', { proplist: ROLE_PROPS })
      : Promise.resolve(null),
  ]);
  const connections = new Set<string>();
  for (const c of conns) {
    const hp = splitHostPort(c['reply-src-address']);
    if (hp) connections.add(connectionKey(c['protocol'] ?? '', hp[0], hp[1]));
  }
  const upnp = internalSubnets(upnpRoles, addresses);
  const natPmp = natPmpRoles ? internalSubnets(natPmpRoles, addresses) : [];
  return {
    at: now,
    hosts: hostsFrom(leases, arp, now),
    connections,
    subnets: { upnp, natPmp },
    counters: new Map(counters.map((r) => [r['.id'] ?? '', `${r['bytes'] ?? '0'}/${r['packets'] ?? '0'}`])),
  };
}

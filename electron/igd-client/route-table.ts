/**
 * The IPv4 default routes of this PC, parsed from what each OS prints (issue 15). Every parser takes
 * untrusted-ish text (a child process's bounded output, or /proc), never throws, and keeps only rows
 * whose every field it can validate: language-independent by shape (Windows localises the headers and
 * "On-link", never the addresses and numbers), so German, French or Japanese Windows parse alike.
 *
 * Which commands, and why: electron/igd-client/README.md ("Default gateway and this PC's address").
 */

/** One IPv4 default route as the OS reports it. */
export interface DefaultRoute {
  /**
   * 0: the default route 0.0.0.0/0. 1: one half of the 0.0.0.0/1 + 128.0.0.0/1 pair with which VPNs
   * (OpenVPN `redirect-gateway def1`, WireGuard and Tunnelblick on macOS) override the default route
   * without replacing it: more specific, so they win for every Internet address.
   */
  prefixLength: 0 | 1;
  /** The next hop; null for an on-link route (a tunnel without a next hop). */
  gateway: string | null;
  /** The adapter as os.networkInterfaces() names it; '' when the table only gives its address. */
  iface: string;
  /** This PC's address on that adapter, when the table says it (Windows `route print`, Linux `src`). */
  localAddress: string | null;
  /** Lower wins; null where the OS prints none (macOS: table order and the scoped flag decide). */
  metric: number | null;
  /** macOS flag I (RTF_IFSCOPE): used only by sockets bound to that interface, not the system default. */
  scoped?: boolean;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
export const isIPv4 = (s: string | undefined): s is string => s !== undefined && IPV4.test(s);

/** Lines of a command's output: CRLF or LF, bounded so a runaway table cannot cost much. */
const lines = (text: string, max = 20_000): string[] => text.split(/\r?\n/, max);

const route = (r: Omit<DefaultRoute, 'scoped'> & { scoped?: boolean }): DefaultRoute => r;

// ---------------------------------------------------------------------------------------------- Linux

const RTF_UP = 0x1;
const RTF_GATEWAY = 0x2;

/** /proc/net/route stores addresses as host-order (little-endian on x86/ARM) hex. */
function hexToIPv4(hex: string): string | null {
  if (!/^[0-9A-Fa-f]{8}$/.test(hex)) return null;
  const n = parseInt(hex, 16);
  return [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, (n >>> 24) & 255].join('.');
}

/** Linux `/proc/net/route`: defaults and the /1 pair; a gateway only with RTF_GATEWAY; lowest metric first. */
export function parseProcNetRoute(text: string): DefaultRoute[] {
  const out: DefaultRoute[] = [];
  for (const line of lines(text).slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 8) continue;
    const [iface = '', destHex = '', gwHex = '', flagsHex = '', , , metric = '', maskHex = ''] = f;
    const dest = hexToIPv4(destHex);
    const mask = hexToIPv4(maskHex);
    const flags = parseInt(flagsHex, 16);
    if (!dest || !mask || !(flags & RTF_UP) || !/^\d+$/.test(metric)) continue;
    const prefixLength = prefixOf(dest, mask);
    if (prefixLength === null) continue;
    const gateway = flags & RTF_GATEWAY ? hexToIPv4(gwHex) : null;
    out.push(route({ prefixLength, gateway, iface, localAddress: null, metric: Number(metric) }));
  }
  return out.sort((a, b) => (a.metric ?? 0) - (b.metric ?? 0));
}

/** `ip -4 route show`: `default via G dev D [src S] [metric M]`, `0.0.0.0/1 via …`, `default dev wg0`. */
export function parseIpRoute(text: string): DefaultRoute[] {
  const out: DefaultRoute[] = [];
  for (const line of lines(text)) {
    const f = line.trim().split(/\s+/);
    const prefixLength = { default: 0, '0.0.0.0/0': 0, '0.0.0.0/1': 1, '128.0.0.0/1': 1 }[f[0] ?? ''];
    // A route whose link is down (cable out) stays in the table marked `linkdown`: not usable.
    if (prefixLength === undefined || f.includes('linkdown')) continue;
    const arg = (key: string): string | undefined => {
      const i = f.indexOf(key);
      return i > 0 ? f[i + 1] : undefined;
    };
    const via = arg('via');
    const dev = arg('dev');
    const metric = arg('metric');
    if (!dev || (via !== undefined && !isIPv4(via))) continue;
    const src = arg('src');
    out.push(
      route({
        prefixLength: prefixLength as 0 | 1,
        gateway: via ?? null,
        iface: dev,
        localAddress: isIPv4(src) ? src : null,
        metric: metric && /^\d+$/.test(metric) ? Number(metric) : 0,
      }),
    );
  }
  return out.sort((a, b) => (a.metric ?? 0) - (b.metric ?? 0));
}

// ---------------------------------------------------------------------------------------------- macOS

/** netstat's shortened destinations: `default`, `0/1`, `128.0/1`. */
const MAC_DESTINATIONS: Record<string, 0 | 1> = {
  default: 0,
  '0/1': 1,
  '128.0/1': 1,
  '0.0.0.0/1': 1,
  '128.0.0.0/1': 1,
};

/**
 * macOS `netstat -rn -f inet`. Columns are found by the header (Destination Gateway Flags Netif
 * Expire since macOS 10.15; Refs and Use before Netif until 10.14); `link#22` gateways are on-link.
 * Table order is kept: macOS lists the primary service's unscoped default first.
 */
export function parseNetstatRoutes(text: string): DefaultRoute[] {
  const out: DefaultRoute[] = [];
  let netif = -1;
  let flagsAt = -1;
  for (const line of lines(text)) {
    const f = line.trim().split(/\s+/);
    if (f[0] === 'Destination') {
      netif = f.indexOf('Netif');
      flagsAt = f.indexOf('Flags');
      continue;
    }
    const prefixLength = MAC_DESTINATIONS[f[0] ?? ''];
    if (prefixLength === undefined || netif < 0 || flagsAt < 0) continue;
    const gw = f[1];
    const flags = f[flagsAt] ?? '';
    const iface = f[netif] ?? '';
    if (!/^[A-Za-z]+$/.test(flags) || !flags.includes('U') || !/^[a-z][a-z0-9]*$/i.test(iface)) continue;
    const gateway = flags.includes('G') && isIPv4(gw) ? gw : null;
    if (gateway === null && !/^link#\d+$/.test(gw ?? '') && !isIPv4(gw)) continue;
    out.push(route({ prefixLength, gateway, iface, localAddress: null, metric: null, scoped: flags.includes('I') }));
  }
  return out;
}

// -------------------------------------------------------------------------------------------- Windows

/**
 * Windows `route print -4`. An active route is `destination netmask gateway interface metric`, where the
 * gateway is an address or the localised words for on-link ("On-link", "Auf Verbindung", "Sur la
 * liaison": one or more tokens), the interface is this PC's address on that adapter, and the metric is
 * the route's plus the interface's (what Windows compares). "Persistent Routes" rows have no interface
 * column (`destination netmask gateway metric`) and are configuration, not the live table: with only
 * four tokens they never match. The shape alone decides, so the headers' language does not matter.
 */
export function parseRoutePrint(text: string): DefaultRoute[] {
  const out: DefaultRoute[] = [];
  for (const line of lines(text)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 5 || f.length > 8) continue;
    const [dest, mask] = f;
    const local = f[f.length - 2];
    const metric = f[f.length - 1] ?? '';
    const gw = f.slice(2, -2);
    if (!isIPv4(dest) || !isIPv4(mask) || !isIPv4(local) || !/^\d{1,9}$/.test(metric)) continue;
    const prefixLength = prefixOf(dest, mask);
    if (prefixLength === null) continue;
    const hop = gw.length === 1 && isIPv4(gw[0]) && gw[0] !== '0.0.0.0' ? gw[0] : null;
    // An address-like gateway that is not a valid IPv4 (a truncated row) is not on-link: skip the row.
    if (hop === null && gw.some((t) => /^[\d.]+$/.test(t))) continue;
    out.push(route({ prefixLength, gateway: hop, iface: '', localAddress: local, metric: Number(metric) }));
  }
  return out.sort((a, b) => (a.metric ?? 0) - (b.metric ?? 0));
}

/** What `Get-NetRoute … | Select-Object … | ConvertTo-Json` gives per route (one object when only one). */
interface NetRouteJson {
  DestinationPrefix?: unknown;
  InterfaceAlias?: unknown;
  NextHop?: unknown;
  RouteMetric?: unknown;
  InterfaceMetric?: unknown;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : null);

const NET_ROUTE_PREFIXES: Record<string, 0 | 1> = { '0.0.0.0/0': 0, '0.0.0.0/1': 1, '128.0.0.0/1': 1 };

/**
 * PowerShell `Get-NetRoute -AddressFamily IPv4 -DestinationPrefix 0.0.0.0/0,0.0.0.0/1,128.0.0.0/1` as
 * JSON. NextHop 0.0.0.0 is on-link; the metric Windows compares is RouteMetric + InterfaceMetric
 * (Get-NetRoute docs).
 */
export function parseNetRouteJson(text: string): DefaultRoute[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.trim() || 'null');
  } catch {
    return [];
  }
  const rows = (Array.isArray(parsed) ? parsed : [parsed]).slice(0, 1000);
  const out: DefaultRoute[] = [];
  for (const row of rows) {
    if (!row || typeof row !== 'object') continue;
    const r = row as NetRouteJson;
    const alias = typeof r.InterfaceAlias === 'string' ? r.InterfaceAlias.slice(0, 256) : '';
    const hop = typeof r.NextHop === 'string' ? r.NextHop : '';
    const metric = num(r.RouteMetric);
    const prefixLength = NET_ROUTE_PREFIXES[typeof r.DestinationPrefix === 'string' ? r.DestinationPrefix : ''];
    if (!alias || !isIPv4(hop) || metric === null || prefixLength === undefined) continue;
    out.push(
      route({
        prefixLength,
        gateway: hop === '0.0.0.0' ? null : hop,
        iface: alias,
        localAddress: null,
        metric: metric + (num(r.InterfaceMetric) ?? 0),
      }),
    );
  }
  return out.sort((a, b) => (a.metric ?? 0) - (b.metric ?? 0));
}

/** 0 for 0.0.0.0/0, 1 for 0.0.0.0/1 or 128.0.0.0/1, null for any other route. */
function prefixOf(dest: string, mask: string): 0 | 1 | null {
  if (dest === '0.0.0.0' && mask === '0.0.0.0') return 0;
  if ((dest === '0.0.0.0' || dest === '128.0.0.0') && mask === '128.0.0.0') return 1;
  return null;
}

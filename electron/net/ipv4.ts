/**
 * IPv4 on top of ipaddr.js: strict parsing, RouterOS address specs (`a.b.c.d`, `a.b.c.d/n`,
 * `a.b.c.d-e.f.g.h`) and classification by the IANA special-purpose registry (RFC 6890). Used by the
 * mappings monitor, plan validation, the troubleshooter, the self-test, double-NAT detection, the
 * NAT-PMP codec and the demo router. Addresses come from routers, LAN devices and forms, so parsing
 * is strict: exactly four decimal octets 0–255, no leading zeros (`192.168.1.010` is octal to some
 * parsers, decimal to others), no spaces, no shorthand (`1.2.3`). Callers that accept typed text
 * trim it first.
 */
import ipaddr from 'ipaddr.js';

/** An inclusive range of addresses as 32-bit unsigned numbers. */
export type Ipv4Range = [first: number, last: number];

export interface Ipv4Cidr {
  /** The network address (host bits cleared) as a 32-bit unsigned number. */
  network: number;
  prefix: number;
}

/** Parsed addresses by text. The mappings monitor checks every row's internal address against the
 *  connected subnets, thousands of rows over a few LAN hosts (issue 14 measured the per-row parse
 *  as a hot spot), so a small cache pays; it is cleared when full, which keeps it bounded. */
const CACHE_LIMIT = 4096;
const cache = new Map<string, number | null>();

/** True for a strict dotted quad (see the module comment). */
export function isIPv4(text: string): boolean {
  return ipv4ToInt(text) !== null;
}

/** The address as a 32-bit unsigned number, or null when `text` is not a strict dotted quad. */
export function ipv4ToInt(text: string): number | null {
  if (cache.has(text)) return cache.get(text) ?? null;
  const value = ipaddr.IPv4.isValidFourPartDecimal(text)
    ? ipaddr.IPv4.parse(text).octets.reduce((n, octet) => n * 256 + octet, 0)
    : null;
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(text, value);
  return value;
}

export function intToIPv4(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

/** `192.168.88.1/24` → its network; a bare address is a /32. The prefix is 0–32 in one or two digits. */
export function parseCidr(text: string): Ipv4Cidr | null {
  const [address = '', prefixText, extra] = text.split('/');
  const ip = ipv4ToInt(address);
  if (ip === null || extra !== undefined) return null;
  const prefix = prefixText === undefined ? 32 : /^\d{1,2}$/.test(prefixText) ? Number(prefixText) : NaN;
  if (!(prefix >= 0 && prefix <= 32)) return null;
  const size = 2 ** (32 - prefix);
  return { network: ip - (ip % size), prefix };
}

export function cidrRange(cidr: Ipv4Cidr): Ipv4Range {
  return [cidr.network, cidr.network + 2 ** (32 - cidr.prefix) - 1];
}

/** A RouterOS address matcher (`a.b.c.d`, `a.b.c.d/n`, `a.b.c.d-e.f.g.h`) as a range, or null. */
export function parseAddressSpec(spec: string): Ipv4Range | null {
  if (spec.includes('-')) {
    const [from = '', to = '', extra] = spec.split('-');
    const a = ipv4ToInt(from);
    const b = ipv4ToInt(to);
    return a === null || b === null || extra !== undefined ? null : [a, b];
  }
  const cidr = parseCidr(spec);
  return cidr && cidrRange(cidr);
}

/** False for an address that does not parse, so garbage never matches a rule. */
export function inRange(address: string, [first, last]: Ipv4Range): boolean {
  const n = ipv4ToInt(address);
  return n !== null && n >= first && n <= last;
}

export function addressInSpec(address: string, spec: string): boolean {
  const range = parseAddressSpec(spec);
  return range !== null && inRange(address, range);
}

export type AddressClass =
  'empty' | 'invalid' | 'private' | 'cgnat' | 'loopback' | 'link-local' | 'reserved' | 'public';

/** ipaddr.js range names → ours. Everything not listed (unicast, as112, amt) is globally reachable. */
const RANGE_CLASS: Readonly<Record<string, AddressClass>> = {
  private: 'private',
  carrierGradeNat: 'cgnat',
  loopback: 'loopback',
  linkLocal: 'link-local',
  unspecified: 'reserved',
  broadcast: 'reserved',
  multicast: 'reserved',
  reserved: 'reserved',
  benchmarking: 'reserved',
};

/** Classifies an IPv4 address by the IANA special-purpose registry (RFC 6890); `''` and `0.0.0.0`
 *  are "empty", which is how gateways say they have no external address. */
export function classifyIPv4(address: string): AddressClass {
  if (address === '' || address === '0.0.0.0') return 'empty';
  if (ipv4ToInt(address) === null) return 'invalid';
  return RANGE_CLASS[ipaddr.IPv4.parse(address).range()] ?? 'public';
}

/** IPv4 helpers for subnet checks (internal-interface test, permissions internal-address). */

export function ipToInt(ip: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return null;
  return parts.reduce((acc, p) => acc * 256 + p, 0);
}

export const intToIp = (n: number): string => [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');

export interface Cidr {
  network: number;
  prefix: number;
}

/** `192.168.88.1/24` → the network; a bare address is a /32. */
export function parseCidr(value: string): Cidr | null {
  const [addr, len] = value.split('/');
  const ip = ipToInt(addr ?? '');
  const prefix = len === undefined ? 32 : Number(len);
  if (ip === null || !Number.isInteger(prefix) || prefix < 0 || prefix > 32) return null;
  const size = 2 ** (32 - prefix);
  return { network: ip - (ip % size), prefix };
}

export function inCidr(ip: string, cidr: Cidr): boolean {
  const n = ipToInt(ip);
  if (n === null) return false;
  const size = 2 ** (32 - cidr.prefix);
  return n - (n % size) === cidr.network;
}

/** RouterOS address matchers: `a.b.c.d`, `a.b.c.d/n`, `a.b.c.d-e.f.g.h`. */
export function matchesAddressSpec(ip: string, spec: string): boolean {
  if (spec.includes('-')) {
    const [from, to] = spec.split('-').map(ipToInt);
    const n = ipToInt(ip);
    return n !== null && from != null && to != null && n >= from && n <= to;
  }
  const cidr = parseCidr(spec);
  return cidr !== null && inCidr(ip, cidr);
}

export function isValidAddressSpec(spec: string): boolean {
  if (spec.includes('-')) return spec.split('-').every((p) => ipToInt(p) !== null);
  return parseCidr(spec) !== null;
}

/** `80`, `1024-65535`, `80,443` → port ranges. Returns null on bad input. */
export function parsePortSpec(spec: string): Array<[number, number]> | null {
  const out: Array<[number, number]> = [];
  for (const part of spec.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) return null;
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    if (a > 65535 || b > 65535 || b < a) return null;
    out.push([a, b]);
  }
  return out;
}

export function portInSpec(port: number, spec: string): boolean {
  const ranges = parsePortSpec(spec);
  return ranges !== null && ranges.some(([a, b]) => port >= a && port <= b);
}

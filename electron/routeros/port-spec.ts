/**
 * RouterOS port matchers (`dst-port`, permissions `internal-port`): the demo router's firewall and
 * permissions, and the self-test's explanation of a permission rule. Addresses: electron/net/ipv4.ts.
 */

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

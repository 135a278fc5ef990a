/**
 * First-match evaluation of a filter chain for one kind of packet, enough for the troubleshooter's
 * questions ("is SSDP from the LAN dropped in input?", "does forward drop dst-nat'ed connections?").
 * Matchers PortPilot cannot evaluate (address lists, layer7, jumps…) make a rule "uncertain" rather
 * than guessed (MikroTik manual "Firewall filter": rules are processed in order, first match acts).
 */
import { isTrue, type RawRow } from '../core/router-port';
import { addressInSpec } from '../net/ipv4';

export interface Packet {
  chain: 'input' | 'forward';
  protocol: 'tcp' | 'udp';
  dstPort: number;
  dstAddress: string;
  inInterface: string;
  /** Interfaces treated as the LAN / WAN interface lists (defconf names). */
  lan: string[];
  wan: string[];
  connectionState: 'new';
  natState: 'dstnat' | '';
}

export interface Verdict {
  action: 'accept' | 'drop' | 'none';
  rule: RawRow | null;
  /** 1-based position in /ip firewall filter. */
  number: number;
  uncertain: RawRow[];
}

const TERMINAL = new Set(['accept', 'drop', 'reject', 'tarpit', 'fasttrack-connection']);
const IGNORED = new Set(['log', 'passthrough', 'add-src-to-address-list', 'add-dst-to-address-list']);
const UNKNOWN_MATCHERS = [
  'src-address-list',
  'dst-address-list',
  'layer7-protocol',
  'content',
  'connection-mark',
  'packet-mark',
  'routing-mark',
  'src-mac-address',
  'out-interface',
  'out-interface-list',
  'ipsec-policy',
  'hotspot',
];

function negated(spec: string, test: (v: string) => boolean): boolean {
  return spec.startsWith('!') ? !test(spec.slice(1)) : test(spec);
}

function portIn(spec: string, port: number): boolean {
  return spec.split(',').some((part) => {
    const [a, b] = part.split('-').map(Number);
    return port >= (a ?? -1) && port <= (b ?? a ?? -1);
  });
}

function listHas(list: string, p: Packet): boolean | null {
  if (list === 'LAN') return p.lan.includes(p.inInterface);
  if (list === 'WAN') return p.wan.includes(p.inInterface);
  return null;
}

/** true / false, or null when the rule uses a matcher PortPilot cannot evaluate here. */
export function ruleMatches(r: RawRow, p: Packet): boolean | null {
  if (r['chain'] !== p.chain || isTrue(r['disabled'])) return false;
  if (UNKNOWN_MATCHERS.some((m) => r[m])) return null;
  const checks: Array<[string, (v: string) => boolean]> = [
    ['protocol', (v) => v === p.protocol],
    ['dst-port', (v) => portIn(v, p.dstPort)],
    ['dst-address', (v) => addressInSpec(p.dstAddress, v)],
    ['in-interface', (v) => v === p.inInterface],
    ['connection-state', (v) => v.split(',').includes(p.connectionState)],
    ['connection-nat-state', (v) => v.split(',').includes(p.natState)],
  ];
  for (const [field, test] of checks) {
    const spec = r[field];
    if (spec && !negated(spec, test)) return false;
  }
  const list = r['in-interface-list'];
  if (list) {
    const has = listHas(list.replace(/^!/, ''), p);
    if (has === null) return null;
    if (list.startsWith('!') === has) return false;
  }
  return true;
}

export function evaluateChain(filter: RawRow[], p: Packet, skip: (r: RawRow) => boolean = () => false): Verdict {
  const uncertain: RawRow[] = [];
  for (const [i, r] of filter.entries()) {
    if (skip(r)) continue;
    const action = r['action'] ?? 'accept';
    if (IGNORED.has(action)) continue;
    const m = ruleMatches(r, p);
    if (m === false) continue;
    if (m === null || !TERMINAL.has(action)) {
      if (r['chain'] === p.chain && !isTrue(r['disabled'])) uncertain.push(r);
      continue;
    }
    if (action === 'fasttrack-connection') continue;
    return { action: action === 'accept' ? 'accept' : 'drop', rule: r, number: i + 1, uncertain };
  }
  return { action: 'none', rule: null, number: 0, uncertain };
}

export function describeRow(r: RawRow): string {
  const skip = new Set(['.id', 'bytes', 'packets', 'invalid', 'dynamic', 'disabled', 'comment', 'log', 'log-prefix']);
  const parts = Object.entries(r)
    .filter(([k, v]) => !skip.has(k) && v !== '' && !k.startsWith('.'))
    .map(([k, v]) => `${k}=${v}`);
  return `${parts.join(' ')}${r['comment'] ? ` comment="${r['comment']}"` : ''}`;
}

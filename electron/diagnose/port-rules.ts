/**
 * What restricts UPnP for one device, as one ordered rule list evaluated first-match-wins:
 * - the seed guide's /ip/upnp/permissions (no match = allowed);
 * - on RouterOS 7, which has no permissions menu (routeros-facts.md), PortPilot's managed filter rules
 *   (electron/config/protection.ts: forward chain, connection-nat-state=dstnat, comment `portpilot:`).
 */
import { ruleFromRow, describeRule, type PermissionRule } from '../config/permissions';
import { describeFilter, isManaged } from '../config/protection';
import { isTrue, type RawRow } from '../core/router-port';
import { inRange, parseAddressSpec, type Ipv4Range } from '../net/ipv4';
import type { DiagnoseContext } from './context';
import { plural } from '../../shared/words';

export type Proto = 'tcp' | 'udp';

export interface PortRule {
  /** 1-based position in its list, as RouterOS prints it (`#`). */
  number: number;
  action: 'allow' | 'deny';
  protocol: Proto | 'both';
  ports: [number, number];
  /** Who it applies to; null = every LAN host. */
  hosts: Ipv4Range | null;
  label: string;
  /** Back to a permission rule (to rebuild the list in a fix). */
  rule: PermissionRule;
}

export interface RuleSet {
  kind: 'permissions' | 'firewall';
  rules: PortRule[];
  /** One line on where the rules come from. */
  source: string;
}

function span(spec: string): [number, number] {
  if (!spec) return [0, 65535];
  const [a, b] = spec.split('-').map(Number);
  return [a ?? 0, b ?? a ?? 0];
}

/** An empty range: a rule whose address does not parse applies to no one. */
const NO_HOSTS: Ipv4Range = [1, 0];

function fromPermission(r: PermissionRule, number: number, label: string): PortRule {
  return {
    number,
    action: r.action,
    protocol: r.protocol,
    ports: span(r.dstPort),
    hosts: r.internalAddress ? (parseAddressSpec(r.internalAddress) ?? NO_HOSTS) : null,
    label,
    rule: r,
  };
}

/** A managed filter row back to the permission rule it was made from (inverse of protectionRules). */
export function permissionFromFilter(row: RawRow): PermissionRule {
  const p = row['protocol'];
  return {
    action: row['action'] === 'accept' ? 'allow' : 'deny',
    interface: row['in-interface'] ?? '',
    protocol: p === 'tcp' || p === 'udp' ? p : 'both',
    dstPort: row['dst-port'] ?? '',
    internalAddress: row['dst-address'] ?? '',
    comment: (row['comment'] ?? '').replace(/^portpilot:\s*/, ''),
  };
}

export function ruleSet(c: DiagnoseContext): RuleSet {
  if (c.s.permissions) {
    const rules = c.s.permissions
      .map((row, i) => ({ row, i }))
      .filter(({ row }) => !isTrue(row['disabled']))
      .map(({ row, i }) => {
        const r = ruleFromRow(row);
        return fromPermission(r, i + 1, `permission #${i + 1}: ${describeRule(r)}`);
      });
    return { kind: 'permissions', rules, source: `/ip upnp permissions: ${plural(rules.length, 'enabled rule')}` };
  }
  const managed = c.s.filter.filter((r) => isManaged(r) && !isTrue(r['disabled']) && r['chain'] === 'forward');
  const rules = managed.map((row, i) =>
    fromPermission(
      permissionFromFilter(row),
      i + 1,
      `PortPilot filter rule “${row['comment'] ?? ''}” (${describeFilter(row)})`,
    ),
  );
  return {
    kind: 'firewall',
    rules,
    source: `this RouterOS has no /ip upnp permissions menu (RouterOS 7); PortPilot-managed filter rules instead: ${rules.length}`,
  };
}

const hits = (r: PortRule, address: string, protocol: Proto, port: number): boolean =>
  (r.protocol === 'both' || r.protocol === protocol) &&
  port >= r.ports[0] &&
  port <= r.ports[1] &&
  (r.hosts === null || inRange(address, r.hosts));

/** First match wins; no match = allowed (seed guide: by default any host may open any port). */
export function firstMatch(rules: PortRule[], address: string, protocol: Proto, port: number): PortRule | null {
  return rules.find((r) => hits(r, address, protocol, port)) ?? null;
}

/**
 * A deny that only keeps other hosts off a port pinned to one host (the guide's Plex example: allow
 * for the server, then deny for everyone else) is intended, not a fault.
 */
export function isPinFor(rules: PortRule[], deny: PortRule, address: string): boolean {
  return rules.some(
    (a) =>
      a.number < deny.number &&
      a.action === 'allow' &&
      a.hosts !== null &&
      a.ports[0] === deny.ports[0] &&
      a.ports[1] === deny.ports[1] &&
      !inRange(address, a.hosts),
  );
}

export interface Denied {
  protocol: Proto;
  from: number;
  to: number;
  rule: PortRule;
}

/** The parts of `protocol lo-hi` a device may not map, each with the rule that denies it (exact). */
export function deniedRanges(
  rules: PortRule[],
  address: string,
  protocol: Proto,
  lo: number,
  hi: number,
  opts: { ignorePins?: boolean } = {},
): Denied[] {
  const cuts = new Set<number>([lo]);
  for (const r of rules) {
    if (r.ports[0] > lo && r.ports[0] <= hi) cuts.add(r.ports[0]);
    if (r.ports[1] + 1 > lo && r.ports[1] + 1 <= hi) cuts.add(r.ports[1] + 1);
  }
  const starts = [...cuts].sort((a, b) => a - b);
  const out: Denied[] = [];
  starts.forEach((from, i) => {
    const to = (starts[i + 1] ?? hi + 1) - 1;
    const rule = firstMatch(rules, address, protocol, from);
    if (!rule || rule.action !== 'deny') return;
    if (opts.ignorePins && isPinFor(rules, rule, address)) return;
    const last = out[out.length - 1];
    if (last && last.rule === rule && last.to + 1 === from) last.to = to;
    else out.push({ protocol, from, to, rule });
  });
  return out;
}

export const rangeText = (d: { protocol: Proto; from: number; to: number }): string =>
  `${d.protocol.toUpperCase()} ${d.from === d.to ? d.from : `${d.from}-${d.to}`}`;

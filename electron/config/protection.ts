/**
 * Real RouterOS 7 has no /ip/upnp/permissions (routeros-facts.md): UPnP maps whatever a LAN host
 * asks for. The nearest real protection is in the firewall: PortPilot-managed rules in the forward
 * chain that drop new connections dst-nat'ed from the WAN to denied ports
 * (`connection-nat-state=dstnat`, MikroTik manual "Firewall filter"), kept in front of the forward
 * chain and marked with the comment prefix `portpilot:` so PortPilot can find and remove them.
 *
 * The forward chain sees packets after dst-nat, so `dst-port` / `dst-address` are the internal port
 * and host. UPnP mappings almost always use the same internal and external port, so denying the
 * port range covers them; an allow for one host becomes an `accept` with its `dst-address`.
 */
import type { RawRow } from '../core/router-port';
import type { Step } from '../plans/types';
import { orderedListSteps } from './ordered-list';
import { ruleFromRow as ruleFromPermissionRow, type PermissionRule } from './permissions';

export const MANAGED_PREFIX = 'portpilot:';
export const FILTER_MENU = '/ip/firewall/filter';
const KEY = ['chain', 'action', 'connection-nat-state', 'in-interface', 'protocol', 'dst-port', 'dst-address'] as const;

export const isManaged = (row: RawRow): boolean => (row['comment'] ?? '').startsWith(MANAGED_PREFIX);

const span = (spec: string): [number, number] => {
  if (!spec) return [0, 65535];
  const [a, b] = spec.split('-').map(Number);
  return [a ?? 0, b ?? a ?? 0];
};

/** Whether two rules can match the same traffic (protocol, interface and port range all meet). */
export function overlaps(a: PermissionRule, b: PermissionRule): boolean {
  const [a1, a2] = span(a.dstPort);
  const [b1, b2] = span(b.dstPort);
  const proto = a.protocol === 'both' || b.protocol === 'both' || a.protocol === b.protocol;
  const iface = !a.interface || !b.interface || a.interface === b.interface;
  return proto && iface && a1 <= b2 && b1 <= a2;
}

/** Filter rules equivalent to the permission list (only the rules that change anything). */
export function protectionRules(rules: PermissionRule[], wan: string): Array<Record<string, string>> {
  const out: Array<Record<string, string>> = [];
  rules.forEach((rule, i) => {
    // An allow matters only when a later deny would otherwise catch its traffic.
    if (rule.action === 'allow' && !rules.slice(i + 1).some((d) => d.action === 'deny' && overlaps(rule, d))) return;
    for (const protocol of rule.protocol === 'both' ? ['tcp', 'udp'] : [rule.protocol]) {
      const attrs: Record<string, string> = {
        chain: 'forward',
        action: rule.action === 'allow' ? 'accept' : 'drop',
        'connection-nat-state': 'dstnat',
        'in-interface': rule.interface || wan,
        protocol,
      };
      if (rule.dstPort) attrs['dst-port'] = rule.dstPort;
      if (rule.action === 'allow' && rule.internalAddress) attrs['dst-address'] = rule.internalAddress;
      const what = rule.comment || `${rule.action} ${protocol} ${rule.dstPort || 'any port'}`;
      attrs['comment'] = `${MANAGED_PREFIX} ${what}${rule.protocol === 'both' ? ` (${protocol})` : ''}`;
      out.push(attrs);
    }
  });
  return out;
}

export function describeFilter(attrs: Record<string, string>): string {
  const verb = attrs['action'] === 'accept' ? 'let through' : 'drop';
  const to = attrs['dst-address'] ? ` to ${attrs['dst-address']}` : '';
  return `firewall rule: ${verb} port-mapped ${(attrs['protocol'] ?? '').toUpperCase()} ${attrs['dst-port'] ?? 'any port'}${to} from ${attrs['in-interface'] ?? 'the WAN'}`;
}

/** A PortPilot filter rule back to the permission it was made from (the inverse of protectionRules). */
export function ruleFromFilter(r: RawRow): PermissionRule {
  const p = r['protocol'];
  return {
    action: r['action'] === 'accept' ? 'allow' : 'deny',
    interface: r['in-interface'] ?? '',
    protocol: p === 'tcp' || p === 'udp' ? p : 'both',
    dstPort: r['dst-port'] ?? '',
    internalAddress: r['dst-address'] ?? '',
    comment: (r['comment'] ?? '').slice(MANAGED_PREFIX.length).trim(),
  };
}

/** The restriction list in force: the permissions, or what PortPilot's filter rules were made from. */
export function currentPolicy(s: { permissions: RawRow[] | null; filter: RawRow[] }): PermissionRule[] {
  return s.permissions ? s.permissions.map(ruleFromPermissionRow) : s.filter.filter(isManaged).map(ruleFromFilter);
}

/** Steps that make PortPilot's block of filter rules equal to `target`, in front of the forward chain. */
export function protectionSteps(filter: RawRow[], target: Array<Record<string, string>>): Step[] {
  const anchor = filter.find((r) => r['chain'] === 'forward' && !isManaged(r));
  return orderedListSteps({
    menu: FILTER_MENU,
    current: filter,
    managed: isManaged,
    keyFields: KEY,
    target,
    anchorId: anchor?.['.id'] ?? null,
    idPrefix: 'protect',
    describe: describeFilter,
  });
}

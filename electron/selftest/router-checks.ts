// What the self-test reads from the router through its API (RouterPort): the WAN address, the dynamic
// dstnat rule a mapping creates, the permission rule that refused a port, the holder of a port.
// Rule shape and comments: routeros-facts.md "Dynamic rule per protocol" — `comment="upnp <ip>: <desc>"`,
// NAT-PMP `comment="nat-pmp <ip>: <desc>"`.
import { isNoSuchCommand, isTrue, type RawRow, type RouterPort } from '../core/router-port';
import { addressInSpec } from '../net/ipv4';
import { portInSpec } from '../routeros/port-spec';

export interface RouterWan {
  interface: string;
  /** What the IGD reports as external IP: forced-ip when set, else the interface's address. */
  address: string | null;
  forcedIp: string | null;
}

/** The UPnP external interface and its address, or null when UPnP has no enabled external interface. */
export async function routerWan(router: RouterPort): Promise<RouterWan | null> {
  const ifaces = await router.print('/ip/upnp/interfaces');
  const ext = ifaces.find((r) => r['type'] === 'external' && !isTrue(r['disabled']));
  if (!ext) return null;
  const name = ext['interface'] ?? '';
  const forcedIp = ext['forced-ip'] || null;
  if (forcedIp) return { interface: name, address: forcedIp, forcedIp };
  const addresses = await router.print('/ip/address', { proplist: ['address', 'interface', 'disabled'] });
  const row = addresses.find((a) => a['interface'] === name && !isTrue(a['disabled']));
  return { interface: name, address: row?.['address']?.split('/')[0] ?? null, forcedIp: null };
}

export interface RuleQuery {
  source: 'upnp' | 'nat-pmp';
  protocol: 'tcp' | 'udp';
  externalPort: number;
  internalAddress: string;
  internalPort: number;
}

/** The dynamic dstnat rules on one external port and protocol (server-side query keeps it cheap on
 *  a router with thousands of rules). */
export async function rulesOnPort(router: RouterPort, protocol: string, port: number): Promise<RawRow[]> {
  const rows = await router.print('/ip/firewall/nat', { query: ['?dynamic=true', `?dst-port=${port}`] });
  return rows.filter((r) => (r['protocol'] ?? '') === protocol);
}

export function describeRule(r: RawRow): string {
  const fields = ['chain', 'action', 'protocol', 'dst-address', 'dst-port', 'to-addresses', 'to-ports', 'in-interface'];
  const parts = fields.filter((f) => r[f]).map((f) => `${f}=${r[f]}`);
  return `${parts.join(' ')} comment="${r['comment'] ?? ''}"${isTrue(r['disabled']) ? ' (disabled)' : ''}`;
}

/** The rule the mapping must have created: right comment prefix, target address and port. */
export async function findMappingRule(
  router: RouterPort,
  q: RuleQuery,
): Promise<{ rule: RawRow | null; others: RawRow[] }> {
  const rows = await rulesOnPort(router, q.protocol, q.externalPort);
  const prefix = `${q.source} ${q.internalAddress}: `;
  const rule =
    rows.find(
      (r) =>
        (r['comment'] ?? '').startsWith(prefix) &&
        r['to-addresses'] === q.internalAddress &&
        (r['to-ports'] ?? String(q.externalPort)) === String(q.internalPort),
    ) ?? null;
  return { rule, others: rows.filter((r) => r !== rule) };
}

/** "upnp 192.168.88.20: PS5" → who holds it, for a 718 conflict. */
export function holderFromComment(comment: string): { source: string; address: string; description: string } | null {
  const m = /^(upnp|nat-pmp) ([^:]+): ?(.*)$/.exec(comment);
  return m ? { source: m[1] ?? '', address: m[2] ?? '', description: m[3] ?? '' } : null;
}

/** The seed guide's /ip upnp permissions: ordered, first match wins, no match = allowed. Returns the
 *  matching rule with its 0-based number as RouterOS prints it. */
export function matchPermission(
  rows: RawRow[],
  req: {
    externalInterface: string;
    protocol: 'tcp' | 'udp';
    externalPort: number;
    internalAddress: string;
    internalPort: number;
  },
): { index: number; row: RawRow } | null {
  for (const [index, p] of rows.entries()) {
    if (isTrue(p['disabled'])) continue;
    if (p['interface'] && p['interface'] !== req.externalInterface) continue;
    if (p['protocol'] && p['protocol'] !== 'both' && p['protocol'] !== req.protocol) continue;
    if (p['dst-port'] && !portInSpec(req.externalPort, p['dst-port'])) continue;
    if (p['internal-port'] && !portInSpec(req.internalPort, p['internal-port'])) continue;
    if (p['internal-address'] && !addressInSpec(req.internalAddress, p['internal-address'])) continue;
    if (p['remote-address']) continue; // the test mapping has no remote host
    return { index, row: p };
  }
  return null;
}

/** Why the router refused a port (UPnP 606 / NAT-PMP 2), in words naming the rule or setting. */
export async function explainDenied(
  router: RouterPort,
  req: { protocol: 'tcp' | 'udp'; externalPort: number; internalAddress: string; internalPort: number },
): Promise<string> {
  const wan = await routerWan(router);
  if (router.capabilities.menus.upnpPermissions) {
    const rows = await router.print('/ip/upnp/permissions');
    const hit = matchPermission(rows, { ...req, externalInterface: wan?.interface ?? '' });
    if (hit && hit.row['action'] === 'deny') {
      const r = hit.row;
      return `/ip upnp permissions rule #${hit.index} (action=deny${r['protocol'] ? ` protocol=${r['protocol']}` : ''}${r['dst-port'] ? ` dst-port=${r['dst-port']}` : ''}${r['internal-address'] ? ` internal-address=${r['internal-address']}` : ''}${r['comment'] ? ` comment="${r['comment']}"` : ''}) refused ${req.protocol} ${req.externalPort} for ${req.internalAddress}: add an allow rule above it, or use another port`;
    }
    if (hit)
      return `the first matching /ip upnp permissions rule (#${hit.index}) allows it, so the refusal came from another setting: check /ip upnp interfaces (this PC must be on an internal interface)`;
    return 'no /ip upnp permissions rule matches, so the refusal came from another setting: check /ip upnp interfaces (this PC must be on an internal interface)';
  }
  // Names only menus this router has (issue 11): RouterOS 7 limits UPnP by its interfaces alone.
  return `this router limits UPnP by its interface settings only, so the refusal came from them: check that /ip upnp interfaces lists this PC's LAN interface as internal and ${wan ? wan.interface : 'the WAN interface'} as external`;
}

/** NAT-PMP state on the router: absent before RouterOS 7.13. */
export async function routerNatPmp(router: RouterPort): Promise<'enabled' | 'disabled' | 'absent'> {
  if (!router.capabilities.menus.natPmp) return 'absent';
  try {
    const row = (await router.print('/ip/nat-pmp'))[0] ?? {};
    return isTrue(row['enabled']) ? 'enabled' : 'disabled';
  } catch (e) {
    if (isNoSuchCommand(e)) return 'absent';
    throw e;
  }
}

export async function routerUpnpEnabled(router: RouterPort): Promise<boolean> {
  return isTrue((await router.print('/ip/upnp'))[0]?.['enabled']);
}

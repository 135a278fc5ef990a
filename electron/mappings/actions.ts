/**
 * Row actions. "Log traffic" follows the guide's "Log forwarded traffic through a specific
 * UPnP-opened port" (`/ip firewall filter add chain=forward … action=log log-prefix=… place-before=0`;
 * forward sees the packet after dstnat, so it matches the internal address and port). "Make
 * permanent" writes the guide's manual dstnat forward, optionally with its hairpin NAT rule.
 */
import type { MappingView, TrafficLog } from '../../shared/domains/mappings';
import type { RouterPort } from '../core/router-port';
import { intToIPv4 } from '../net/ipv4';
import { inSubnet, subnetOf, type MappingFacts } from './model';

export const LOG_COMMENT = 'PortPilot: traffic log';
const FILTER_MENU = '/ip/firewall/filter';

export const logPrefix = (v: Pick<MappingView, 'protocol' | 'externalPort'>): string =>
  `PP-${v.protocol.toUpperCase()}${v.externalPort} `;

export function logRule(v: MappingView): Record<string, string> {
  return {
    chain: 'forward',
    action: 'log',
    protocol: v.protocol,
    'dst-address': v.internalAddress,
    'dst-port': String(v.internalPort),
    'log-prefix': logPrefix(v),
    comment: LOG_COMMENT,
    'place-before': '0',
  };
}

export async function startTrafficLog(router: RouterPort, v: MappingView): Promise<string> {
  return router.add(FILTER_MENU, logRule(v));
}

export async function readTrafficLog(
  router: RouterPort,
  v: MappingView,
  logRuleId: string | null,
): Promise<TrafficLog> {
  const prefix = logPrefix(v);
  const rows = await router.print('/log', { proplist: ['time', 'topics', 'message'] });
  const lines = rows
    .filter((r) => (r['message'] ?? '').startsWith(prefix))
    .slice(-200)
    .map((r) => ({ time: r['time'] ?? '', message: r['message'] ?? '' }));
  return { id: v.id, logRuleId, prefix, lines };
}

/** Removes only a rule PortPilot added (checked by comment and prefix): never someone else's rule. */
export async function stopTrafficLog(router: RouterPort, v: MappingView, logRuleId: string): Promise<void> {
  const [row] = await router.print(FILTER_MENU, { query: [`?.id=${logRuleId}`] });
  if (!row) return;
  if (row['comment'] !== LOG_COMMENT || row['log-prefix'] !== logPrefix(v)) {
    throw new Error(`filter rule ${logRuleId} is not PortPilot's log rule any more; left in place`);
  }
  await router.remove(FILTER_MENU, [logRuleId]);
}

const quote = (s: string): string => `"${s.replace(/["\\$]/g, (c) => `\\${c}`)}"`;

export function staticForward(f: MappingFacts): Record<string, string> {
  const attrs: Record<string, string> = {
    chain: 'dstnat',
    protocol: f.protocol,
    'dst-port': String(f.externalPort),
    action: 'dst-nat',
    'to-addresses': f.internalAddress,
    'to-ports': String(f.internalPort),
    comment: `static forward: ${f.description || f.id}`.slice(0, 250),
  };
  if (f.inInterface) attrs['in-interface'] = f.inInterface;
  return attrs;
}

export function hairpinRule(f: MappingFacts, lanCidr: string): Record<string, string> {
  return {
    chain: 'srcnat',
    action: 'masquerade',
    'src-address': lanCidr,
    'dst-address': f.internalAddress,
    protocol: f.protocol,
    'dst-port': String(f.internalPort),
    comment: `hairpin NAT for ${f.description || f.id}`.slice(0, 250),
  };
}

export function asCommand(menu: string, attrs: Record<string, string>): string {
  const words = Object.entries(attrs).map(([k, v]) => `${k}=${/^[\w.:/,*-]+$/.test(v) ? v : quote(v)}`);
  return `${menu.replace(/\//g, ' ').trim().replace(/^/, '/')} add ${words.join(' ')}`;
}

/** The LAN subnet (network/len) holding the internal address, for the hairpin rule's src-address. */
export async function lanSubnetOf(router: RouterPort, address: string): Promise<string | null> {
  const rows = await router.print('/ip/address', { proplist: ['address', 'interface', 'disabled'] });
  for (const r of rows) {
    const s = subnetOf(r['address'] ?? '', r['interface'] ?? '');
    if (s && inSubnet(address, s)) return `${intToIPv4(s.network)}/${s.prefix}`;
  }
  return null;
}

export async function makePermanent(router: RouterPort, f: MappingFacts, hairpin: boolean) {
  const forward = staticForward(f);
  const commands = [asCommand('/ip/firewall/nat', forward)];
  const natRuleId = await router.add('/ip/firewall/nat', forward);
  let hairpinRuleId: string | null = null;
  if (hairpin) {
    const lan = await lanSubnetOf(router, f.internalAddress);
    if (lan) {
      const rule = hairpinRule(f, lan);
      commands.push(asCommand('/ip/firewall/nat', rule));
      hairpinRuleId = await router.add('/ip/firewall/nat', rule);
    }
  }
  return { natRuleId, hairpinRuleId, commands };
}

/** "Copy as RouterOS command": the static equivalent, then how to find the dynamic rule. */
export function commandsFor(f: MappingFacts): string {
  return [
    `# ${f.source} mapping ${f.protocol} ${f.externalPort} → ${f.internalAddress}:${f.internalPort} "${f.description}"`,
    asCommand('/ip/firewall/nat', staticForward(f)),
    `/ip firewall nat print where dynamic and protocol=${f.protocol} and dst-port=${f.externalPort}`,
  ].join('\n');
}

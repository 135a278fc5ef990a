/**
 * Firewall log lines for simulated traffic: a filter rule with `action=log` (or `log=yes`) that
 * matches a flow writes a line in RouterOS's format to /log (topics `firewall,info`), like the guide's
 * "Log forwarded traffic through a specific UPnP-opened port" example. Forward-chain rules see the
 * packet after dstnat (RouterOS packet flow), so dst-port matches the internal port.
 */
import type { Row } from '../api-device';
import type { DemoDevice } from './device';
import type { Mapping } from './mappings';
import { peerPort } from './connections';
import { addressInSpec } from '../../net/ipv4';
import { portInSpec } from '../../routeros/port-spec';

function matches(rule: Row, m: Mapping, externalIface: string): boolean {
  if (rule.disabled === 'true' || rule.chain !== 'forward') return false;
  if (rule.action !== 'log' && rule.log !== 'true') return false;
  if (rule.protocol && rule.protocol !== m.protocol) return false;
  if (rule['dst-port'] && !portInSpec(m.internalPort, rule['dst-port'])) return false;
  if (rule['dst-address'] && !addressInSpec(m.internalAddress, rule['dst-address'])) return false;
  if (rule['in-interface'] && rule['in-interface'] !== externalIface) return false;
  return true;
}

export interface Flow {
  peer: string;
  external: string;
  fresh: boolean;
  packets: number;
  bytes: number;
}

export function logMatches(dev: DemoDevice, m: Mapping, flow: Flow): void {
  const { peer, external, fresh, packets, bytes } = flow;
  const filter = dev.table('/ip/firewall/filter');
  const externalIface = dev.backend.views[m.source].externalEntry()?.interface ?? 'ether1';
  for (const rule of filter.all()) {
    if (!matches(rule, m, externalIface)) continue;
    filter.touch(rule, {
      packets: String(Number(rule.packets ?? 0) + packets),
      bytes: String(Number(rule.bytes ?? 0) + bytes),
    });
    const state = fresh ? 'new' : 'established';
    const port = peerPort(m, peer);
    const proto = m.protocol.toUpperCase();
    dev.appendLog(
      'firewall,info',
      `${rule['log-prefix'] ?? ''}forward: in:${externalIface} out:bridge-lan, connection-state:${state} proto ${proto}, ` +
        `${peer}:${port}->${m.internalAddress}:${m.internalPort}, NAT (${peer}:${port}->${external}:${m.externalPort})->` +
        `${m.internalAddress}:${m.internalPort}, len ${Math.max(40, Math.floor(bytes / Math.max(1, packets)))}`,
    );
  }
}

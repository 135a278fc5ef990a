/** /ip firewall nat, filter, connection, service-port and /log. */
import { ApiTrap } from '../api-device';
import type { FieldSpec, TableSpec } from './schema';
import { addr, bool, iface, oneOf, ports, ro, str } from './schema';
import { formatDuration } from '../../routeros/duration';

const PROTOCOLS = ['tcp', 'udp', 'icmp', 'gre', 'ipsec-esp', 'ipsec-ah', 'igmp', 'sctp', 'udp-lite', 'icmpv6'];

function ruleFields(actions: readonly string[]): Record<string, FieldSpec> {
  return {
    chain: { ...str(), required: true },
    action: oneOf(actions, 'accept'),
    protocol: oneOf(PROTOCOLS),
    'src-address': addr(),
    'dst-address': addr(),
    'src-port': ports(),
    'dst-port': ports(),
    'in-interface': iface({ allowEmpty: true }),
    'out-interface': iface({ allowEmpty: true }),
    'in-interface-list': str(),
    'out-interface-list': str(),
    'connection-state': str(),
    // RouterOS 7: dstnat / srcnat / !dstnat (the defconf "drop all from WAN not DSTNATed" uses it).
    'connection-nat-state': str(),
    log: bool(false),
    'log-prefix': str(''),
    bytes: ro('0'),
    packets: ro('0'),
    invalid: ro('false'),
    dynamic: ro('false'),
    disabled: bool(false),
    comment: str(),
  };
}

/** A port list only means something with a protocol that has ports (RouterOS refuses it otherwise). */
function checkPorts(row: Record<string, string>): void {
  const hasPorts = (row['dst-port'] ?? '') !== '' || (row['src-port'] ?? '') !== '';
  if (hasPorts && !['tcp', 'udp', 'sctp', 'udp-lite'].includes(row.protocol ?? '')) {
    throw new ApiTrap('failure: can have ports only with tcp, udp, sctp, udp-lite, dccp protocols');
  }
}

export const nat: TableSpec = {
  path: '/ip/firewall/nat',
  persist: true,
  hasDynamic: true,
  ordered: true,
  fields: {
    ...ruleFields([
      'accept',
      'dst-nat',
      'src-nat',
      'masquerade',
      'redirect',
      'netmap',
      'same',
      'passthrough',
      'return',
      'jump',
      'log',
      // RouterOS 7.10+ (help.mikrotik.com NAT manual, "Endpoint-Independent NAT"); UDP only there.
      'endpoint-independent-nat',
    ]),
    'to-addresses': addr(),
    'to-ports': ports(),
    'jump-target': str(),
    'randomise-ports': bool(false),
  },
  check: checkPorts,
};

export const filter: TableSpec = {
  path: '/ip/firewall/filter',
  persist: true,
  hasDynamic: true,
  ordered: true,
  fields: {
    ...ruleFields([
      'accept',
      'drop',
      'reject',
      'log',
      'passthrough',
      'return',
      'jump',
      'tarpit',
      'fasttrack-connection',
    ]),
    'reject-with': str(),
    'jump-target': str(),
  },
  check: checkPorts,
};

/** Connection tracking entries are made by simulated traffic; `timeout` counts down from `expiresAt`. */
export const connection: TableSpec = {
  path: '/ip/firewall/connection',
  persist: false,
  readOnly: true,
  fields: {
    protocol: ro(),
    'src-address': ro(),
    'dst-address': ro(),
    'reply-src-address': ro(),
    'reply-dst-address': ro(),
    'tcp-state': ro(),
    timeout: ro(),
    'orig-bytes': ro('0'),
    'repl-bytes': ro('0'),
    'orig-packets': ro('0'),
    'repl-packets': ro('0'),
    'orig-rate': ro('0bps'),
    'repl-rate': ro('0bps'),
    assured: ro('false'),
    'seen-reply': ro('false'),
    confirmed: ro('true'),
    dstnat: ro('false'),
    srcnat: ro('false'),
    fasttrack: ro('false'),
    'connection-mark': ro(''),
  },
  render: (row, ctx, hidden) =>
    hidden?.expiresAt === undefined
      ? row
      : { ...row, timeout: formatDuration(Math.max(0, hidden.expiresAt - ctx.now())) },
};

export const servicePort: TableSpec = {
  path: '/ip/firewall/service-port',
  persist: true,
  readOnly: true,
  fields: {
    name: ro(),
    ports: ports(),
    'sip-direct-media': bool(true),
    'sip-timeout': str('1h'),
    disabled: bool(false),
    invalid: ro('false'),
  },
};

export const log: TableSpec = {
  path: '/log',
  persist: false,
  readOnly: true,
  fields: { time: ro(), topics: ro(), message: ro() },
};

export const LOG_MAX_LINES = 1000; // `/system logging action memory-lines` default

/**
 * UPnP permissions (seed guide: ordered allow/deny list, first match wins, no match = allowed), the
 * guide's presets, rules that can never match, and where RouterOS 7 has no permissions menu the
 * nearest real protection: PortPilot-managed filter rules.
 */
import type { PermissionView } from '../../shared/domains/config';
import type { RawRow } from '../core/router-port';
import {
  parseIPv4Cidr,
  parseInterface,
  parsePortRange,
  parseProtocol,
  Validator,
  type Protocol,
} from '../plans/validate';

/** One row of the ordered allow/deny list: the contract's PermissionView is the rule itself. */
export type PermissionRule = PermissionView;

export const PERMISSIONS_MENU = '/ip/upnp/permissions';

export function ruleFromRow(row: RawRow): PermissionRule {
  const p = row['protocol'];
  return {
    action: row['action'] === 'deny' ? 'deny' : 'allow',
    interface: row['interface'] ?? '',
    protocol: p === 'tcp' || p === 'udp' ? p : 'both',
    dstPort: row['dst-port'] ?? '',
    internalAddress: row['internal-address'] ?? '',
    comment: row['comment'] ?? '',
  };
}

/** Wire attributes; empty optional fields are left out (RouterOS then means "any"). */
export function ruleAttrs(r: PermissionRule): Record<string, string> {
  const attrs: Record<string, string> = { action: r.action };
  if (r.interface) attrs['interface'] = r.interface;
  attrs['protocol'] = r.protocol;
  if (r.dstPort) attrs['dst-port'] = r.dstPort;
  if (r.internalAddress) attrs['internal-address'] = r.internalAddress;
  if (r.comment) attrs['comment'] = r.comment;
  return attrs;
}

export const PERMISSION_KEY = ['action', 'interface', 'protocol', 'dst-port', 'internal-address'] as const;

export function describeRule(r: PermissionRule): string {
  const who = r.internalAddress ? ` for ${r.internalAddress}` : '';
  const port = r.dstPort ? ` port ${r.dstPort}` : ' any port';
  const proto = r.protocol === 'both' ? 'TCP+UDP' : r.protocol.toUpperCase();
  return `${r.action} ${proto}${port}${who}${r.interface ? ` on ${r.interface}` : ''}${r.comment ? ` (“${r.comment}”)` : ''}`;
}

/** Validates a whole list; errors name `permissions[i].field`. */
export function validateRules(rules: PermissionRule[], interfaces: readonly string[]): PermissionRule[] {
  const v = new Validator();
  const out = rules.map((r, i) => {
    const f = (name: string) => `permissions[${i}].${name}`;
    return {
      action: r.action,
      interface: r.interface ? (v.check(() => parseInterface(f('interface'), r.interface, interfaces)) ?? '') : '',
      protocol: v.check(() => parseProtocol(f('protocol'), r.protocol)) ?? 'both',
      dstPort: r.dstPort ? (v.check(() => parsePortRange(f('dstPort'), r.dstPort, { allowZero: true })) ?? '') : '',
      internalAddress: r.internalAddress
        ? (v.check(() => parseIPv4Cidr(f('internalAddress'), r.internalAddress)) ?? '')
        : '',
      comment: r.comment,
    } satisfies PermissionRule;
  });
  v.done();
  return out;
}

// ---- rules that can never match ----

const range = (spec: string): [number, number] => {
  if (!spec) return [0, 65535];
  const [a, b] = spec.split('-').map(Number);
  return [a ?? 0, b ?? a ?? 0];
};

const cidr = (spec: string): [number, number] => {
  if (!spec) return [0, 2 ** 32 - 1];
  const [addr = '', len = '32'] = spec.split('/');
  const n = addr.split('.').reduce((acc, p) => acc * 256 + Number(p), 0);
  const size = 2 ** (32 - Number(len));
  const start = n - (n % size);
  return [start, start + size - 1];
};

const within = (inner: [number, number], outer: [number, number]): boolean =>
  inner[0] >= outer[0] && inner[1] <= outer[1];

/** True when every request `later` matches is matched by `earlier` first. */
export function covers(earlier: PermissionRule, later: PermissionRule): boolean {
  return (
    (earlier.interface === '' || earlier.interface === later.interface) &&
    (earlier.protocol === 'both' || earlier.protocol === later.protocol) &&
    within(range(later.dstPort), range(earlier.dstPort)) &&
    within(cidr(later.internalAddress), cidr(earlier.internalAddress))
  );
}

export interface ShadowedRule {
  index: number;
  coveredBy: number;
  message: string;
}

/** Rules an earlier rule always matches first (first match wins): they can never take effect. */
export function shadowedRules(rules: PermissionRule[]): ShadowedRule[] {
  const out: ShadowedRule[] = [];
  rules.forEach((rule, j) => {
    const i = rules.slice(0, j).findIndex((earlier) => covers(earlier, rule));
    if (i >= 0) {
      out.push({
        index: j,
        coveredBy: i,
        message: `rule ${j + 1} can never match: rule ${i + 1} (${describeRule(rules[i] as PermissionRule)}) always matches first`,
      });
    }
  });
  return out;
}

// ---- presets from the guide ----

/** The guide's "restrict mappable ports": allow 1024-65535, deny 0-1023, for TCP and UDP. */
export function highPortsPreset(external: string): PermissionRule[] {
  const rule = (
    action: 'allow' | 'deny',
    protocol: 'tcp' | 'udp',
    dstPort: string,
    comment: string,
  ): PermissionRule => ({
    action,
    interface: external,
    protocol,
    dstPort,
    internalAddress: '',
    comment,
  });
  return [
    rule('allow', 'tcp', '1024-65535', 'allow high TCP'),
    rule('allow', 'udp', '1024-65535', 'allow high UDP'),
    rule('deny', 'tcp', '0-1023', 'block privileged TCP'),
    rule('deny', 'udp', '0-1023', 'block privileged UDP'),
  ];
}

/** The guide's media-server example: allow the server's port for its host, deny it for everyone else. */
export function pinPreset(
  external: string,
  protocol: Protocol,
  dstPort: string,
  host: string,
  name: string,
): PermissionRule[] {
  return [
    { action: 'allow', interface: external, protocol, dstPort, internalAddress: host, comment: `${name} server` },
    {
      action: 'deny',
      interface: external,
      protocol,
      dstPort,
      internalAddress: '',
      comment: `block others from ${name} port`,
    },
  ];
}

/**
 * Merges preset rules into a list: pins first (their deny must precede the broad allows), then
 * console allows (the guide: "add an explicit allow rule for those ports before any deny rules"), then
 * the rest. Rules already present are not repeated.
 */
export function composeRules(groups: {
  pins: PermissionRule[];
  allows: PermissionRule[];
  base: PermissionRule[];
}): PermissionRule[] {
  const out: PermissionRule[] = [];
  const key = (r: PermissionRule) => [r.action, r.interface, r.protocol, r.dstPort, r.internalAddress].join('|');
  for (const r of [...groups.pins, ...groups.allows, ...groups.base])
    if (!out.some((o) => key(o) === key(r))) out.push(r);
  return out;
}

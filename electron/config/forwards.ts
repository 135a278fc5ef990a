/**
 * Manual port forwards, the guide's auditable alternative to UPnP: a static dstnat rule per protocol,
 * optional hairpin NAT so LAN hosts reach the service by its public address. Endpoint-independent
 * NAT: eim.ts.
 */
import type { ForwardInput } from '../../shared/domains/config';
import { natRuleInWords } from './eim';
import { step } from '../plans';
import {
  parseInterface,
  parseIPv4,
  parseIPv4Cidr,
  parsePortRange,
  parseProtocol,
  Validator,
  type Protocol,
} from '../plans/validate';
import type { Step } from '../plans/types';
import { interfaceNames, type RouterSnapshot } from './snapshot';

import { NAT_MENU } from './eim';

export { NAT_MENU };

/** The contract's forward input, its protocol checked. */
export interface PortForward extends ForwardInput {
  protocol: Protocol;
}

export function validateForward(f: PortForward, s: RouterSnapshot, field = 'forward'): PortForward {
  const v = new Validator();
  const out: PortForward = {
    inInterface: v.check(() => parseInterface(`${field}.inInterface`, f.inInterface, interfaceNames(s))) ?? '',
    protocol: v.check(() => parseProtocol(`${field}.protocol`, f.protocol)) ?? 'tcp',
    dstPort: v.check(() => parsePortRange(`${field}.dstPort`, f.dstPort)) ?? '',
    toAddress: v.check(() => parseIPv4(`${field}.toAddress`, f.toAddress)) ?? '',
    toPort: f.toPort.trim() ? (v.check(() => parsePortRange(`${field}.toPort`, f.toPort)) ?? '') : '',
    comment: f.comment.trim(),
    hairpinSubnet: f.hairpinSubnet.trim()
      ? (v.check(() => parseIPv4Cidr(`${field}.hairpinSubnet`, f.hairpinSubnet)) ?? '')
      : '',
  };
  v.done();
  return out;
}

const protocols = (p: Protocol): Array<'tcp' | 'udp'> => (p === 'both' ? ['tcp', 'udp'] : [p]);

/** The guide's manual example: `chain=dstnat in-interface=ether1 protocol=tcp dst-port=443 action=dst-nat ...`. */
export function forwardRules(f: PortForward): Array<Record<string, string>> {
  const out: Array<Record<string, string>> = [];
  for (const protocol of protocols(f.protocol)) {
    out.push({
      chain: 'dstnat',
      'in-interface': f.inInterface,
      protocol,
      'dst-port': f.dstPort,
      action: 'dst-nat',
      'to-addresses': f.toAddress,
      'to-ports': f.toPort || f.dstPort,
      comment: f.comment || `static forward to ${f.toAddress}`,
    });
    if (f.hairpinSubnet) {
      out.push({
        chain: 'srcnat',
        action: 'masquerade',
        'src-address': f.hairpinSubnet,
        'dst-address': f.toAddress,
        protocol,
        'dst-port': f.toPort || f.dstPort,
        comment: `hairpin NAT for ${f.comment || f.toAddress}`,
      });
    }
  }
  return out;
}

const same = (row: Record<string, string>, attrs: Record<string, string>): boolean =>
  Object.entries(attrs).every(([k, v]) => k === 'comment' || (row[k] ?? '') === v);

export function addForwardSteps(s: RouterSnapshot, f: PortForward): Step[] {
  return forwardRules(f)
    .filter((attrs) => !s.nat.some((row) => same(row, attrs)))
    .map((attrs, i) =>
      step({
        id: `forward-add-${i + 1}`,
        description:
          attrs['chain'] === 'dstnat'
            ? `Forward ${attrs['protocol']?.toUpperCase()} ${attrs['dst-port']} from ${attrs['in-interface']} to ${attrs['to-addresses']}:${attrs['to-ports']}`
            : `Hairpin NAT: let ${attrs['src-address']} reach ${attrs['dst-address']} by the public address`,
        op: { verb: 'add', menu: NAT_MENU, attrs },
      }),
    );
}

export function removeRuleStep(row: Record<string, string>): Step {
  return step({
    id: `nat-remove-${row['.id']}`,
    description: `Remove ${natRuleInWords(row)}`,
    op: { verb: 'remove', menu: NAT_MENU, find: { id: row['.id'] ?? '' } },
  });
}

// Endpoint-independent NAT lives in eim.ts (RouterOS action=endpoint-independent-nat, placed before
// the masquerade); re-exported for the configuration service that imports it from here.
export { eimSteps } from './eim';

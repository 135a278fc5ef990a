/**
 * Firewall checks: SSDP discovery (guide step 5: "UPnP discovery uses SSDP (UDP multicast to
 * 239.255.255.250:1900). Ensure firewall rules on the internal interface are not blocking this
 * traffic") plus the IGD control port (RouterOS serves /gateway.xml on TCP 2828), and a forward chain
 * that drops connections UPnP dst-nat'ed before accepting them.
 */
import { makePlan } from '../config/plan';
import { FILTER_MENU, isManaged } from '../config/protection';
import { step } from '../plans';
import type { Step } from '../plans/types';
import { internalNames, type DiagnoseContext } from './context';
import { describeRow, evaluateChain, type Packet, type Verdict } from './firewall';
import { result, type Check } from './types';

const SSDP = { protocol: 'udp' as const, dstPort: 1900, dstAddress: '239.255.255.250' };
const IGD_CONTROL = { protocol: 'tcp' as const, dstPort: 2828, dstAddress: '' };

function lanAddress(ctx: DiagnoseContext, iface: string): string {
  return (ctx.s.addresses.find((a) => a.interface === iface)?.address ?? '0.0.0.0/32').split('/')[0] ?? '0.0.0.0';
}

function packet(ctx: DiagnoseContext, base: Partial<Packet>): Packet {
  return {
    chain: 'input',
    protocol: 'udp',
    dstPort: 0,
    dstAddress: '',
    inInterface: '',
    lan: internalNames(ctx),
    wan: [ctx.wan],
    connectionState: 'new',
    natState: '',
    ...base,
  };
}

interface Blocked {
  iface: string;
  what: string;
  verdict: Verdict;
  pkt: Packet;
}

function inputBlocks(ctx: DiagnoseContext, ifaces: string[]): { blocked: Blocked[]; uncertain: string[] } {
  const blocked: Blocked[] = [];
  const uncertain = new Set<string>();
  for (const iface of ifaces) {
    for (const [what, spec] of [
      ['SSDP (UDP 1900 to 239.255.255.250)', SSDP],
      ['IGD control (TCP 2828)', IGD_CONTROL],
    ] as const) {
      const pkt = packet(ctx, { ...spec, dstAddress: spec.dstAddress || lanAddress(ctx, iface), inInterface: iface });
      const verdict = evaluateChain(ctx.s.filter, pkt);
      verdict.uncertain.forEach((r) => uncertain.add(describeRow(r)));
      if (verdict.action === 'drop') blocked.push({ iface, what, verdict, pkt });
    }
  }
  return { blocked, uncertain: [...uncertain] };
}

/** A rule aimed at SSDP itself is disabled; a broad one gets an accept for just this traffic in front. */
function unblockSteps(b: Blocked, i: number): Step {
  const rule = b.verdict.rule ?? {};
  const id = rule['.id'] ?? '';
  if (rule['dst-port'] === String(b.pkt.dstPort)) {
    return step({
      id: `input-disable-${i}`,
      description: `Disable the input rule #${b.verdict.number} that drops ${b.what} from ${b.iface}${rule['comment'] ? ` (“${rule['comment']}”)` : ''}`,
      op: { verb: 'set', menu: FILTER_MENU, find: { id }, attrs: { disabled: 'yes' } },
    });
  }
  const attrs: Record<string, string> = {
    chain: 'input',
    action: 'accept',
    protocol: b.pkt.protocol,
    'dst-port': String(b.pkt.dstPort),
    'in-interface': b.iface,
    comment: `accept ${b.what} for UPnP (PortPilot troubleshooter)`,
  };
  if (b.pkt.protocol === 'udp') attrs['dst-address'] = b.pkt.dstAddress;
  return step({
    id: `input-accept-${i}`,
    description: `Accept ${b.what} from ${b.iface} before input rule #${b.verdict.number}`,
    op: { verb: 'add', menu: FILTER_MENU, attrs, before: { id } },
  });
}

export const ssdpBlocked: Check = {
  id: 'ssdp-blocked',
  title: 'SSDP discovery is not blocked on the LAN',
  needsDevice: false,
  run: ({ ctx, device }) => {
    const title = 'SSDP discovery is not blocked on the LAN';
    const ifaces = [...new Set([...internalNames(ctx), ...(device?.interface ? [device.interface] : [])])];
    if (!ifaces.length)
      return result(
        'ssdp-blocked',
        title,
        'unknown',
        ['no internal interface to evaluate'],
        'Set an internal interface first.',
      );
    const { blocked, uncertain } = inputBlocks(ctx, ifaces);
    const ev = uncertain.map((r) => `not evaluated (uses a matcher PortPilot cannot check): ${r}`);
    if (!blocked.length)
      return result(
        'ssdp-blocked',
        title,
        uncertain.length ? 'warn' : 'pass',
        [`input chain lets SSDP and TCP 2828 in from ${ifaces.join(', ')}`, ...ev],
        'Devices can discover the router and reach its UPnP control URL.',
      );
    const steps = blocked.map(unblockSteps);
    return result(
      'ssdp-blocked',
      title,
      'fail',
      [
        ...blocked.map(
          (b) =>
            `input rule #${b.verdict.number} drops ${b.what} from ${b.iface}: ${describeRow(b.verdict.rule ?? {})}`,
        ),
        ...ev,
      ],
      'UPnP discovery uses SSDP (UDP multicast to 239.255.255.250:1900) and then HTTP to the router. A filter rule on the internal interface drops it, so devices never find the router and never ask for a mapping.',
      makePlan('Let UPnP discovery through the firewall', steps, ctx.s),
    );
  },
};

export const forwardDropsDstnat: Check = {
  id: 'forward-drops-dstnat',
  title: 'Forward chain accepts port-mapped (dst-nat) connections',
  needsDevice: false,
  run: ({ ctx, device }) => {
    const title = 'Forward chain accepts port-mapped (dst-nat) connections';
    if (!ctx.wan)
      return result(
        'forward-drops-dstnat',
        title,
        'unknown',
        ['no WAN interface found'],
        'Cannot evaluate without a WAN interface.',
      );
    const to = device?.address ?? '192.168.88.254';
    const drops = (['udp', 'tcp'] as const)
      .map((protocol) => ({
        protocol,
        v: evaluateChain(
          ctx.s.filter,
          packet(ctx, {
            chain: 'forward',
            protocol,
            dstPort: 40000,
            dstAddress: to,
            inInterface: ctx.wan,
            natState: 'dstnat',
          }),
          isManaged, // PortPilot's own port restrictions are evaluated by the permission checks
        ),
      }))
      .filter((x) => x.v.action === 'drop');
    if (!drops.length)
      return result(
        'forward-drops-dstnat',
        title,
        'pass',
        [`a new ${ctx.wan} → ${to} connection with connection-nat-state=dstnat is not dropped`],
        'Traffic arriving on a mapping reaches the device.',
      );
    const first = drops[0]?.v;
    const rule = first?.rule ?? {};
    const fix: Step = rule['connection-nat-state']
      ? step({
          id: 'forward-accept-dstnat',
          description: `Accept new dst-nat'ed connections from ${ctx.wan} before forward rule #${first?.number}`,
          op: {
            verb: 'add',
            menu: FILTER_MENU,
            attrs: {
              chain: 'forward',
              action: 'accept',
              'connection-nat-state': 'dstnat',
              'in-interface': ctx.wan,
              comment: 'accept port-mapped connections (PortPilot troubleshooter)',
            },
            before: { id: rule['.id'] ?? '' },
          },
        })
      : step({
          id: 'forward-exempt-dstnat',
          description: `Exempt dst-nat'ed connections from forward rule #${first?.number} (connection-nat-state=!dstnat, as in RouterOS's defconf)`,
          op: {
            verb: 'set',
            menu: FILTER_MENU,
            find: { id: rule['.id'] ?? '' },
            attrs: { 'connection-nat-state': '!dstnat' },
          },
        });
    return result(
      'forward-drops-dstnat',
      title,
      'fail',
      drops.map(
        (d) =>
          `forward rule #${d.v.number} drops new ${d.protocol.toUpperCase()} from ${ctx.wan} after dst-nat: ${describeRow(d.v.rule ?? {})}`,
      ),
      'UPnP creates the dst-nat rule, but the forward chain drops the connection before any rule accepts connection-nat-state=dstnat, so the mapping exists and nothing arrives. RouterOS’s default rule reads “drop all from WAN not DSTNATed” with connection-nat-state=!dstnat.',
      makePlan('Let port-mapped connections through', [fix], ctx.s),
    );
  },
};

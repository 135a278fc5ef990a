/**
 * Whether the device may map what it needs: the guide's NAT Type 3 advice ("Check that UDP traffic is
 * allowed in the permissions rules"; "Some consoles require specific ports (e.g., UDP 3074 for PSN).
 * Add an explicit allow rule for those ports before any deny rules"). On RouterOS 7 the same questions
 * are asked of PortPilot's managed filter rules (port-rules.ts).
 */
import { composeRules, ruleFromRow, type PermissionRule } from '../config/permissions';
import { makePlan, permissionSteps } from '../config/plan';
import { isManaged } from '../config/protection';
import { presetById, type PortSpec } from '../config/wizard/presets';
import type { Plan } from '../plans/types';
import type { DiagnoseDevice } from '../../shared/domains/diagnose';
import type { DiagnoseContext } from './context';
import { deniedRanges, permissionFromFilter, rangeText, ruleSet, type Denied, type Proto } from './port-rules';
import { result, type Check, type CheckInput } from './types';

const HIGH: [number, number] = [1024, 65535];

/** The preset of a console/Steam device, with its source. */
export function presetOf(device: DiagnoseDevice) {
  return ['xbox', 'playstation', 'switch', 'steam'].includes(device.platform) ? presetById(device.platform) : undefined;
}

const specRange = (p: PortSpec): [number, number] => {
  const [a = 0, b = a] = p.ports.split('-').map(Number);
  return [a, b];
};

/** Ports the device asks for through UPnP: its preset's unprivileged ports, else every high port. */
function wanted(device: DiagnoseDevice): Array<{ protocol: Proto; range: [number, number] }> {
  const preset = presetOf(device);
  if (!preset) return (['tcp', 'udp'] as const).map((protocol) => ({ protocol, range: HIGH }));
  return preset.ports
    .map((p) => ({ protocol: p.protocol, range: specRange(p) }))
    .filter((p) => p.range[1] >= 1024)
    .map((p) => ({ protocol: p.protocol, range: [Math.max(1024, p.range[0]), p.range[1]] as [number, number] }));
}

function denied(
  ctx: DiagnoseContext,
  device: DiagnoseDevice,
  list: Array<{ protocol: Proto; range: [number, number] }>,
): Denied[] {
  const rules = ruleSet(ctx).rules;
  return list.flatMap((w) =>
    deniedRanges(rules, device.address, w.protocol, w.range[0], w.range[1], { ignorePins: true }),
  );
}

const udpHigh = (ctx: DiagnoseContext, d: DiagnoseDevice) => denied(ctx, d, [{ protocol: 'udp', range: HIGH }]);

/** One plan for all three checks: allow what is denied, for this device only, before every deny. */
export function allowPlan(ctx: DiagnoseContext, device: DiagnoseDevice): Plan | null {
  const gaps = [...denied(ctx, device, wanted(device)), ...(device.console ? udpHigh(ctx, device) : [])];
  if (!gaps.length || !ctx.wan) return null;
  const who = device.hostName || device.address;
  const allows: PermissionRule[] = gaps.map((g) => ({
    action: 'allow',
    interface: ctx.wan,
    protocol: g.protocol,
    dstPort: g.from === g.to ? String(g.from) : `${g.from}-${g.to}`,
    internalAddress: device.address,
    comment: `${who} (PortPilot troubleshooter)`,
  }));
  const base = ctx.s.permissions
    ? ctx.s.permissions.map(ruleFromRow)
    : ctx.s.filter.filter((r) => isManaged(r) && r['chain'] === 'forward').map(permissionFromFilter);
  const rules = composeRules({ pins: [], allows, base });
  return makePlan(`Allow ${who} to map its ports`, permissionSteps(ctx.s, rules, ctx.wan), ctx.s);
}

function sourceLine(ctx: DiagnoseContext): string {
  const set = ruleSet(ctx);
  return set.kind === 'firewall' ? `${set.source} (the permissions menu does not exist on this router)` : set.source;
}

const list = (ds: Denied[]) => ds.map((d) => `${rangeText(d)} denied by ${d.rule.label}`);

export const permissionDenies: Check = {
  id: 'permission-denies-device',
  title: 'No rule denies the device’s ports',
  needsDevice: true,
  run: ({ ctx, device }: CheckInput) => {
    const d = device as DiagnoseDevice;
    const title = 'No rule denies the device’s ports';
    const gaps = denied(ctx, d, wanted(d));
    const what = presetOf(d) ? `${presetOf(d)?.name} ports` : 'TCP/UDP 1024-65535';
    if (!gaps.length)
      return result(
        'permission-denies-device',
        title,
        'pass',
        [sourceLine(ctx), `${d.address}: ${what} allowed`],
        'Nothing stops this device from mapping the ports it needs.',
      );
    const first = gaps[0]?.rule;
    return result(
      'permission-denies-device',
      title,
      'fail',
      [sourceLine(ctx), ...list(gaps)],
      `Rules are checked in order and the first match wins: ${first?.label ?? 'a deny rule'} matches ${d.address} before any allow. Add an allow rule for this device before the deny, as consoles need.`,
      allowPlan(ctx, d),
    );
  },
};

export const udpNotAllowed: Check = {
  id: 'udp-not-allowed',
  title: 'UDP mappings are allowed',
  needsDevice: true,
  run: ({ ctx, device }: CheckInput) => {
    const d = device as DiagnoseDevice;
    const title = 'UDP mappings are allowed';
    const gaps = udpHigh(ctx, d);
    if (!gaps.length)
      return result(
        'udp-not-allowed',
        title,
        'pass',
        [sourceLine(ctx), `${d.address}: UDP 1024-65535 allowed`],
        'Games and voice chat can map the UDP ports they use.',
      );
    const total = gaps.reduce((n, g) => n + g.to - g.from + 1, 0);
    const all = total >= HIGH[1] - HIGH[0] + 1;
    return result(
      'udp-not-allowed',
      title,
      all ? 'fail' : 'warn',
      [sourceLine(ctx), ...list(gaps)],
      all
        ? 'No UDP port above 1023 can be mapped for this device. Consoles and voice chat are UDP: with UDP denied the console reports NAT Type 3 / Strict.'
        : 'Part of the UDP range cannot be mapped for this device; a game that picks a port there gets no mapping.',
      allowPlan(ctx, d),
    );
  },
};

export const consolePortsBlocked: Check = {
  id: 'console-ports-blocked',
  title: 'The console’s known ports are allowed',
  needsDevice: true,
  run: ({ ctx, device }: CheckInput) => {
    const d = device as DiagnoseDevice;
    const title = 'The console’s known ports are allowed';
    const preset = presetOf(d);
    if (!preset)
      return result(
        'console-ports-blocked',
        title,
        'unknown',
        ['not recognised as a console or Steam PC (host name / MAC vendor)'],
        'Pick the console in the device list to check its ports.',
      );
    const low = preset.ports.filter((p) => specRange(p)[1] < 1024).map((p) => `${p.protocol.toUpperCase()} ${p.ports}`);
    const ev = [
      `${preset.name}: ${preset.ports.map((p) => `${p.protocol.toUpperCase()} ${p.ports}`).join(', ')} — source: ${preset.source}`,
      sourceLine(ctx),
    ];
    if (low.length)
      ev.push(
        `${low.join(', ')} are below 1024: used for outgoing traffic, not requested through UPnP (blocking their mapping is fine)`,
      );
    const gaps = denied(ctx, d, wanted(d));
    if (!gaps.length)
      return result('console-ports-blocked', title, 'pass', ev, `Every port ${preset.name} asks for can be mapped.`);
    return result(
      'console-ports-blocked',
      title,
      'fail',
      [...ev, ...list(gaps)],
      `${preset.name} needs these ports mapped for Open NAT; add an allow rule for them before any deny rule.`,
      allowPlan(ctx, d),
    );
  },
};

/**
 * The wizard's choices → one change plan: the guide's "typical home deployment" (recommended UPnP
 * settings, LAN internal + WAN external, high ports only) plus device presets and NAT-PMP. Only what
 * differs from the router's current configuration becomes a step.
 *
 * Order differs from the guide's listing on purpose: restrictions first, then interfaces, and UPnP is
 * switched on last, so there is never a moment where UPnP runs without its restrictions.
 */
import { parseIPv4, Validator } from '../../plans/validate';
import type { Plan, Step } from '../../plans/types';
import type { LanDevice } from '../../../shared/domains/config';
import { composeRules, highPortsPreset, pinPreset, type PermissionRule } from '../permissions';
import { currentPolicy, protectionRules } from '../protection';
import { makePlan, permissionSteps } from '../plan';
import {
  natPmpEnabledSteps,
  RECOMMENDED,
  roleSteps,
  roleWarnings,
  settingsSteps,
  validateRoles,
  type Role,
} from '../roles';
import type { RouterSnapshot } from '../snapshot';
import { detectRoles } from './detect';
import type { RememberedChoices } from './memory';
import { presetById } from './presets';

export interface SetupChoices {
  internal: string[];
  external: string;
  /** 'high-ports' = the guide's allow 1024-65535 / deny 0-1023; 'keep' = leave the list as it is. */
  security: 'high-ports' | 'keep';
  devices: Array<{ address: string; preset: string; name?: string }>;
  natPmp: boolean;
}

/** What `--preset recommended` means: detected roles, high ports only, NAT-PMP on, no devices. */
export function recommendedChoices(s: RouterSnapshot): SetupChoices {
  const d = detectRoles(s);
  return {
    internal: d.internal.filter((c) => c.recommended).map((c) => c.interface),
    external: d.external.find((c) => c.recommended)?.interface ?? '',
    security: 'high-ports',
    devices: [],
    natPmp: s.hasNatPmp,
  };
}

/**
 * The wizard's defaults: its remembered choices where they still fit this router (the interfaces exist),
 * else the detected roles, the recommended restrictions and NAT-PMP on; the devices with a preset
 * suggested (devices.ts: in force, remembered, guessed).
 */
export function wizardDefaults(
  s: RouterSnapshot,
  devices: Array<Pick<LanDevice, 'address' | 'hostName' | 'suggested'>>,
  remembered: RememberedChoices | null,
): SetupChoices {
  const detected = recommendedChoices(s);
  const names = new Set(s.interfaces.map((i) => i.name));
  const internal = remembered?.internal.filter((i) => names.has(i)) ?? [];
  const external = remembered && names.has(remembered.external) ? remembered.external : '';
  const rolesFit = internal.length > 0 && external !== '' && !internal.includes(external);
  return {
    internal: rolesFit ? internal : detected.internal,
    external: rolesFit ? external : detected.external,
    security: remembered?.security ?? detected.security,
    natPmp: s.hasNatPmp && (remembered?.natPmp ?? detected.natPmp),
    devices: devices
      .filter((d) => d.suggested)
      .map((d) => ({ address: d.address, preset: d.suggested ?? '', ...(d.hostName ? { name: d.hostName } : {}) })),
  };
}

function deviceRules(
  choices: SetupChoices,
  wan: string,
  v: Validator,
): { pins: PermissionRule[]; allows: PermissionRule[] } {
  const pins: PermissionRule[] = [];
  const allows: PermissionRule[] = [];
  // By address, not in the order the screen listed them: the rules' order must not depend on it, or a
  // re-run with the same devices would move rules about (issue 13: the wizard must be idempotent).
  const byAddress = choices.devices
    .map((d, i) => ({ d, i }))
    .sort((a, b) => a.d.address.localeCompare(b.d.address, undefined, { numeric: true }));
  byAddress.forEach(({ d, i }) => {
    const preset = presetById(d.preset);
    const address = v.check(() => parseIPv4(`devices[${i}].address`, d.address));
    if (!preset) v.errors.push({ field: `devices[${i}].preset`, message: `unknown preset “${d.preset}”` });
    if (!preset || !address) return;
    const name = d.name || preset.name;
    for (const p of preset.ports) {
      // The guide's own comments ("Plex server", "block others from Plex port") name the service.
      if (preset.kind === 'server') pins.push(...pinPreset(wan, p.protocol, p.ports, address, preset.name));
      else
        allows.push({
          action: 'allow',
          interface: wan,
          protocol: p.protocol,
          dstPort: p.ports,
          internalAddress: address,
          comment: name === preset.name ? name : `${name} (${preset.name})`,
        });
    }
  });
  return { pins, allows };
}

export function buildSetupPlan(s: RouterSnapshot, choices: SetupChoices): Plan {
  const roles: Role[] = [
    ...choices.internal.map((i) => ({ interface: i, type: 'internal' as const })),
    { interface: choices.external, type: 'external' },
  ];
  const v = new Validator();
  const upnpRoles = v.check(() => validateRoles('upnp', roles, s)) ?? roles;
  const { pins, allows } = deviceRules(choices, choices.external, v);
  v.done();
  const base = choices.security === 'high-ports' ? highPortsPreset(choices.external) : currentPolicy(s);
  const rules = composeRules({ pins, allows, base });
  const steps: Step[] = [
    ...permissionSteps(s, rules, choices.external),
    ...roleSteps('upnp', s.upnpInterfaces, upnpRoles),
    ...settingsSteps(s, RECOMMENDED),
  ];
  if (s.hasNatPmp) {
    if (choices.natPmp) steps.push(...roleSteps('nat-pmp', s.natPmpInterfaces, upnpRoles));
    steps.push(...natPmpEnabledSteps(s, choices.natPmp));
  }
  const warnings = roleWarnings('upnp', upnpRoles, s);
  const notes = s.hasPermissions ? [] : presetsWithoutRules(choices, protectionRules(rules, choices.external));
  if (!s.hasPermissions && choices.security === 'high-ports') {
    warnings.push(
      'This RouterOS cannot restrict UPnP by port: PortPilot adds firewall rules instead (named “portpilot: …”) that drop traffic from the Internet to the blocked ports of mapped connections.',
    );
  }
  return { ...makePlan('Set up UPnP (typical home deployment)', steps, s, warnings), notes };
}

/**
 * On RouterOS 7 a console preset becomes firewall rules only for ports a restriction would block
 * (protection.ts): Steam's and the Switch's ports are all above 1023, so under the recommended
 * restrictions they need none. Said, so that choosing them is not a silent no-op (issue 13).
 */
function presetsWithoutRules(choices: SetupChoices, filter: Array<Record<string, string>>): string[] {
  const notes: string[] = [];
  for (const d of choices.devices) {
    const preset = presetById(d.preset);
    if (!preset || filter.some((r) => r['dst-address'] === d.address)) continue;
    const ports = preset.ports.map((p) => `${p.protocol.toUpperCase()} ${p.ports}`).join(', ');
    notes.push(
      `${d.name || d.address} (${preset.name}): nothing to add. Its ports (${ports}) are not blocked by the restrictions, so it can already open them.`,
    );
  }
  return notes;
}

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
import { composeRules, highPortsPreset, pinPreset, type PermissionRule } from '../permissions';
import { currentPolicy } from '../protection';
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

function deviceRules(
  choices: SetupChoices,
  wan: string,
  v: Validator,
): { pins: PermissionRule[]; allows: PermissionRule[] } {
  const pins: PermissionRule[] = [];
  const allows: PermissionRule[] = [];
  choices.devices.forEach((d, i) => {
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
  if (!s.hasPermissions && choices.security === 'high-ports') {
    warnings.push(
      'This RouterOS has no UPnP permissions menu: PortPilot adds firewall rules (comment “portpilot:”) that drop port-mapped traffic to the blocked ports instead.',
    );
  }
  return makePlan('Set up UPnP (typical home deployment)', steps, s, warnings);
}

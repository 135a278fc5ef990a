/**
 * The Configuration screen's plans, one function per form: validated input + the router's snapshot →
 * a Plan (or a ValidationError naming the fields; nothing is sent before the user confirms).
 */
import type { ForwardInput } from '../../shared/domains/config';
import type { Plan } from '../plans';
import { ValidationError } from '../plans/validate';
import { eimRemoveSteps, eimSteps, eimSupport } from './eim';
import { addForwardSteps, removeRuleStep, validateForward } from './forwards';
import { shadowedRules, validateRules, type PermissionRule } from './permissions';
import { makePlan, permissionSteps } from './plan';
import { roleSteps, roleWarnings, settingsSteps, validateRoles, type Role } from './roles';
import { interfaceNames, type RouterSnapshot } from './snapshot';
import { detectRoles } from './wizard/detect';

export const settingsPlan = (s: RouterSnapshot, input: Parameters<typeof settingsSteps>[1]): Plan =>
  makePlan('UPnP settings', settingsSteps(s, input), s);

export function rolesPlan(s: RouterSnapshot, input: { service: 'upnp' | 'nat-pmp'; roles: Role[] }): Plan {
  const { service, roles } = input;
  const valid = validateRoles(service, roles, s);
  return makePlan(
    `${service === 'upnp' ? 'UPnP' : 'NAT-PMP'} interfaces`,
    roleSteps(service, service === 'upnp' ? s.upnpInterfaces : s.natPmpInterfaces, valid),
    s,
    roleWarnings(service, valid, s),
  );
}

export function permissionsPlan(s: RouterSnapshot, rules: PermissionRule[]): Plan {
  const valid = validateRules(rules, interfaceNames(s));
  const wan =
    s.upnpInterfaces.find((r) => r.type === 'external')?.interface ?? detectRoles(s).external[0]?.interface ?? '';
  const title = s.permissions ? 'UPnP permissions' : 'Port-mapping protection (firewall rules)';
  // Rules the new order makes dead are pointed out before anything is applied.
  const dead = shadowedRules(valid).map((x) => `Rule ${x.index + 1} ${x.message.replace(/^rule \d+ /, '')}.`);
  return makePlan(title, permissionSteps(s, valid, wan), s, dead);
}

export const forwardPlan = (s: RouterSnapshot, input: ForwardInput): Plan =>
  makePlan(
    'Port forward',
    addForwardSteps(s, validateForward({ ...input, protocol: input.protocol as PermissionRule['protocol'] }, s)),
    s,
  );

export function removeForwardPlan(s: RouterSnapshot, id: string): Plan {
  const row = s.nat.find((r) => r['.id'] === id);
  if (!row) throw new ValidationError([{ field: 'id', message: `there is no static NAT rule ${id}` }]);
  return makePlan('Remove port forward', [removeRuleStep(row)], s);
}

export function eimPlan(s: RouterSnapshot, enabled: boolean, version: string): Plan {
  if (!enabled) return makePlan('Remove endpoint-independent NAT', eimRemoveSteps(s), s);
  const wan = detectRoles(s).external[0]?.interface ?? '';
  const support = eimSupport(version);
  const warnings = support.supported === true ? [] : [support.why];
  if (!wan) warnings.push('PortPilot found no internet-facing interface to apply endpoint-independent NAT to.');
  return makePlan('Endpoint-independent NAT for UDP', eimSteps(s, wan, version), s, warnings);
}

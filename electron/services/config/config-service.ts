/**
 * The configuration service: builds change plans from validated input, keeps them by id, applies
 * them through the plan engine with progress events, and offers rollback / resume of the journal.
 * Ports injected: the live router (null when not connected), the journal store, the event sink.
 */
import type { DomainService, EventSink } from '../../../shared/contract/define';
import { ContractError } from '../../../shared/contract/result';
import type { configDomain, PlanView, ProgressEvent } from '../../../shared/domains/config';
import { addForwardSteps, eimSteps, NAT_MENU, removeRuleStep, validateForward } from '../../config/forwards';
import { shadowedRules, validateRules, type PermissionRule } from '../../config/permissions';
import { makePlan, permissionSteps } from '../../config/plan';
import { currentPolicy } from '../../config/protection';
import { roleSteps, roleWarnings, settingsSteps, validateRoles } from '../../config/roles';
import { interfaceNames, readSnapshot, type RouterSnapshot } from '../../config/snapshot';
import { devicesFromLeases, loadVendorLookup } from '../../config/wizard/devices';
import { detectRoles } from '../../config/wizard/detect';
import { PRESETS } from '../../config/wizard/presets';
import { buildSetupPlan } from '../../config/wizard/setup';
import { verifySetup } from '../../config/wizard/verify';
import type { RouterLink } from '../../core/router-link';
import { step, type Plan } from '../../plans';
import { ValidationError } from '../../plans/validate';
import type { ChangeApplier } from '../change-applier';
import { requireRouter } from '../require-router';
import { configView } from './views';

export interface ConfigServiceDeps {
  router: () => RouterLink | null;
  /** Shared with the troubleshooter's fixes: one journal and one lock per router. */
  changes: ChangeApplier;
  emit: EventSink<typeof configDomain>;
}

export type ConfigService = DomainService<typeof configDomain>;

export function createConfigService(deps: ConfigServiceDeps): ConfigService {
  const live = () => requireRouter(deps.router);
  const progress = (e: ProgressEvent) => deps.emit('progress', e);

  /** Field errors become `invalid-input`; nothing has been sent to the router at that point. */
  async function build(fn: (s: RouterSnapshot) => Plan): Promise<PlanView> {
    const snapshot = await readSnapshot(live());
    let plan: Plan;
    try {
      plan = fn(snapshot);
    } catch (err) {
      if (err instanceof ValidationError) throw new ContractError('invalid-input', err.message, { fields: err.fields });
      throw err;
    }
    return deps.changes.keep(plan);
  }

  return {
    read: async () => configView(await readSnapshot(live())),
    planSettings: (input) => build((s) => makePlan('UPnP settings', settingsSteps(s, input), s)),
    planRoles: ({ service, roles }) =>
      build((s) => {
        const valid = validateRoles(service, roles, s);
        return makePlan(
          `${service === 'upnp' ? 'UPnP' : 'NAT-PMP'} interfaces`,
          roleSteps(service, service === 'upnp' ? s.upnpInterfaces : s.natPmpInterfaces, valid),
          s,
          roleWarnings(service, valid, s),
        );
      }),
    planPermissions: ({ rules }) =>
      build((s) => {
        const valid = validateRules(rules as PermissionRule[], interfaceNames(s));
        const wan =
          s.upnpInterfaces.find((r) => r.type === 'external')?.interface ?? detectRoles(s).external[0]?.interface ?? '';
        const title = s.permissions ? 'UPnP permissions' : 'Port-mapping protection (firewall rules)';
        // Rules the new order makes dead are pointed out before anything is applied.
        const dead = shadowedRules(valid).map((x) => `Rule ${x.index + 1} ${x.message.replace(/^rule \d+ /, '')}.`);
        return makePlan(title, permissionSteps(s, valid, wan), s, dead);
      }),
    planForward: (input) =>
      build((s) =>
        makePlan(
          'Port forward',
          addForwardSteps(s, validateForward({ ...input, protocol: input.protocol as PermissionRule['protocol'] }, s)),
          s,
        ),
      ),
    planRemoveForward: ({ id }) =>
      build((s) => {
        const row = s.nat.find((r) => r['.id'] === id);
        if (!row) throw new ValidationError([{ field: 'id', message: `there is no static NAT rule ${id}` }]);
        return makePlan('Remove port forward', [removeRuleStep(row)], s);
      }),
    planEim: ({ enabled }) =>
      build((s) => {
        const wan = detectRoles(s).external[0]?.interface ?? '';
        if (enabled) return makePlan('Endpoint-independent NAT for UDP', eimSteps(s, wan), s);
        const rows = s.nat.filter(
          (r) =>
            r['chain'] === 'srcnat' && r['action'] === 'masquerade' && r['protocol'] === 'udp' && !!r['out-interface'],
        );
        return makePlan(
          'Remove endpoint-independent NAT',
          rows.map((r) =>
            step({
              id: `eim-remove-${r['.id']}`,
              description: 'Remove the endpoint-independent UDP masquerade rule',
              op: { verb: 'remove', menu: NAT_MENU, find: { id: r['.id'] ?? '' } },
            }),
          ),
          s,
        );
      }),
    wizardStart: async () => {
      const s = await readSnapshot(live());
      const d = detectRoles(s);
      return {
        ...d,
        devices: devicesFromLeases(s.leases, await loadVendorLookup(), currentPolicy(s)),
        presets: PRESETS.map(({ hints: _h, ...p }) => p),
        hasPermissions: s.hasPermissions,
        hasNatPmp: s.hasNatPmp,
        natPmpEnabled: s.natPmp?.enabled ?? false,
      };
    },
    wizardPlan: (choices) => build((s) => buildSetupPlan(s, choices)),
    apply: ({ planId }) => deps.changes.apply(planId, progress, 'This plan is no longer available: preview it again.'),
    journal: () => deps.changes.journal(),
    resume: () => deps.changes.resume(progress),
    rollback: () => deps.changes.rollback(progress),
    verify: async () => verifySetup(live()),
  };
}

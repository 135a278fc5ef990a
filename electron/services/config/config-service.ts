/**
 * The configuration service: builds change plans from validated input, keeps them by id, applies
 * them through the plan engine with progress events, and offers rollback / resume of the journal.
 * Ports injected: the live router (null when not connected), the journal store, the event sink.
 */
import type { DomainService, EventSink } from '../../../shared/contract/define';
import { ContractError } from '../../../shared/contract/result';
import type { configDomain, PlanView, ProgressEvent } from '../../../shared/domains/config';
import type { PermissionRule } from '../../config/permissions';
import {
  eimPlan,
  forwardPlan,
  permissionsPlan,
  removeForwardPlan,
  rolesPlan,
  settingsPlan,
} from '../../config/plans-for';
import { currentPolicy } from '../../config/protection';
import { readSnapshot, type RouterSnapshot } from '../../config/snapshot';
import { devicesFromLeases, loadVendorLookup } from '../../config/wizard/devices';
import { detectRoles } from '../../config/wizard/detect';
import { PRESETS } from '../../config/wizard/presets';
import { WizardChoicesFile } from '../../config/wizard/memory';
import { buildSetupPlan, wizardDefaults, type SetupChoices } from '../../config/wizard/setup';
import { verifySetup } from '../../config/wizard/verify';
import type { RouterLink } from '../../core/router-link';
import { memoryFileStore } from '../../mappings/file-store';
import type { Plan } from '../../plans';
import { ValidationError } from '../../plans/validate';
import type { ChangeApplier } from '../change-applier';
import { requireRouter } from '../require-router';
import { configView } from './views';

export interface ConfigServiceDeps {
  router: () => RouterLink | null;
  /** Shared with the troubleshooter's fixes: one journal and one lock per router. */
  changes: ChangeApplier;
  emit: EventSink<typeof configDomain>;
  /** The wizard's last choices per router (a file in the config dir); in memory when absent. */
  wizardMemory?: WizardChoicesFile;
}

export type ConfigService = DomainService<typeof configDomain>;

export function createConfigService(deps: ConfigServiceDeps): ConfigService {
  const live = () => requireRouter(deps.router);
  const progress = (e: ProgressEvent) => deps.emit('progress', e);
  const memory = deps.wizardMemory ?? new WizardChoicesFile(memoryFileStore());
  /** Wizard plans not applied yet: their choices and the devices shown, remembered once one is applied. */
  const wizardPlans = new Map<string, { choices: SetupChoices; offered: string[] }>();
  let offered: string[] = [];

  /** Field errors become `invalid-input`; nothing has been sent to the router at that point. */
  async function build(fn: (s: RouterSnapshot, router: RouterLink) => Plan): Promise<PlanView> {
    const router = live();
    const snapshot = await readSnapshot(router);
    let plan: Plan;
    try {
      plan = fn(snapshot, router);
    } catch (err) {
      if (err instanceof ValidationError) throw new ContractError('invalid-input', err.message, { fields: err.fields });
      throw err;
    }
    return deps.changes.keep(plan);
  }

  return {
    read: async () => configView(await readSnapshot(live())),
    planSettings: (input) => build((s) => settingsPlan(s, input)),
    planRoles: (input) => build((s) => rolesPlan(s, input)),
    planPermissions: ({ rules }) => build((s) => permissionsPlan(s, rules as PermissionRule[])),
    planForward: (input) => build((s) => forwardPlan(s, input)),
    planRemoveForward: ({ id }) => build((s) => removeForwardPlan(s, id)),
    planEim: ({ enabled }) => build((s, router) => eimPlan(s, enabled, router.capabilities.version)),
    wizardStart: async () => {
      const router = live();
      const s = await readSnapshot(router);
      const d = detectRoles(s);
      const remembered = await memory.get(router.dataKey);
      const devices = devicesFromLeases(s.leases, await loadVendorLookup(), currentPolicy(s), remembered?.devices);
      offered = devices.map((x) => x.address);
      return {
        ...d,
        defaults: wizardDefaults(s, devices, remembered),
        devices,
        presets: PRESETS.map(({ hints: _h, ...p }) => p),
        hasPermissions: s.hasPermissions,
        hasNatPmp: s.hasNatPmp,
        natPmpEnabled: s.natPmp?.enabled ?? false,
        upnp: s.upnp,
      };
    },
    wizardPlan: async (choices) => {
      const plan = await build((s) => buildSetupPlan(s, choices));
      wizardPlans.clear(); // one wizard at a time: only the plan last previewed can be applied
      wizardPlans.set(plan.id, { choices, offered });
      return plan;
    },
    apply: async ({ planId }) => {
      const router = live();
      const report = await deps.changes.apply(planId, progress, 'This plan is no longer available: preview it again.');
      const wizard = wizardPlans.get(planId);
      if (wizard && (report.outcome === 'applied' || report.outcome === 'nothing-to-do')) {
        wizardPlans.delete(planId);
        await memory.set(router.dataKey, wizard.choices, wizard.offered);
      }
      return report;
    },
    journal: () => deps.changes.journal(),
    resume: () => deps.changes.resume(progress),
    rollback: (input) => deps.changes.rollback(progress, input?.planId),
    verify: async () => verifySetup(live()),
  };
}

/**
 * The configuration service: builds change plans from validated input, keeps them by id, applies
 * them through the plan engine with progress events, and offers rollback / resume of the journal.
 * Ports injected: the live router (null when not connected), the journal store, the event sink.
 */
import type { DomainService, EventSink } from '../../../shared/contract/define';
import { ContractError } from '../../../shared/contract/result';
import type { configDomain, PlanView } from '../../../shared/domains/config';
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
import type { RouterPort } from '../../core/router-port';
import {
  applyPlan,
  renderScript,
  reportOf,
  resumeJournal,
  rollbackJournal,
  step,
  type JournalStore,
  type Plan,
} from '../../plans';
import { ValidationError } from '../../plans/validate';
import { configView } from './views';

export interface ConfigServiceDeps {
  router: () => RouterPort | null;
  journal: JournalStore;
  emit: EventSink<typeof configDomain>;
  /** Label of the connected router for journals and scripts. */
  target?: () => string;
  now?: () => Date;
}

export type ConfigService = DomainService<typeof configDomain>;

const MAX_PLANS = 20;

export function createConfigService(deps: ConfigServiceDeps): ConfigService {
  const plans = new Map<string, Plan>();
  let busy = false;

  const live = (): RouterPort => {
    const r = deps.router();
    if (!r) throw new ContractError('not-connected', 'Connect to a router first.');
    return r;
  };

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
    plans.set(plan.id, plan);
    for (const id of [...plans.keys()].slice(0, Math.max(0, plans.size - MAX_PLANS))) plans.delete(id);
    return {
      ...plan,
      steps: plan.steps.map(({ op: _op, ...rest }) => rest),
      script: renderScript(plan, { router: deps.target?.() }),
    };
  }

  async function exclusive<T>(fn: () => Promise<T>): Promise<T> {
    if (busy) throw new ContractError('busy', 'Another change is being applied; wait for it to finish.');
    busy = true;
    try {
      return await fn();
    } finally {
      busy = false;
    }
  }

  /** A journal is only replayed on the router it was written for. */
  async function sameRouter(): Promise<RouterPort> {
    const router = live();
    const j = await deps.journal.load();
    const now = deps.target?.() ?? '';
    if (j && j.target && now && j.target !== now) {
      throw new ContractError(
        'busy',
        `That change was made on ${j.target}; connect to it to roll back or resume (now connected to ${now}).`,
      );
    }
    return router;
  }

  const engineOpts = () => ({
    journal: deps.journal,
    target: deps.target?.() ?? '',
    onProgress: (e: Parameters<EventSink<typeof configDomain>>[1]) => deps.emit('progress', e),
    now: deps.now,
  });

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
    apply: ({ planId }) =>
      exclusive(async () => {
        const plan = plans.get(planId);
        if (!plan) throw new ContractError('unknown-plan', 'This plan is no longer available: preview it again.');
        const router = live();
        const pending = await deps.journal.load();
        if (pending?.status === 'interrupted' || pending?.status === 'applying') {
          throw new ContractError('busy', 'An earlier change was interrupted: roll it back or resume it first.');
        }
        plans.delete(planId);
        return applyPlan(router, plan, engineOpts());
      }),
    journal: async () => {
      const j = await deps.journal.load();
      if (!j) return null;
      return {
        planId: j.plan.id,
        title: j.plan.title,
        target: j.target,
        startedAt: j.startedAt,
        status: j.status,
        report: reportOf(j),
      };
    },
    resume: () => exclusive(async () => resumeJournal(await sameRouter(), deps.journal, engineOpts()).catch(noJournal)),
    rollback: () =>
      exclusive(async () => rollbackJournal(await sameRouter(), deps.journal, engineOpts()).catch(noJournal)),
    verify: async () => verifySetup(live()),
  };
}

function noJournal(err: unknown): never {
  if (err instanceof Error && /no (interrupted )?change/.test(err.message))
    throw new ContractError('no-journal', err.message);
  throw err;
}

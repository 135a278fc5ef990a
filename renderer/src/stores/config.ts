import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { ErrorData, Result } from '../../../shared/contract/result';
import type {
  ApplyReport,
  ConfigView,
  FieldError,
  ForwardInput,
  JournalView,
  PermissionView,
  PlanView,
  ProgressPhase,
  RoleView,
  SetupChoicesInput,
  UpnpSettingsView,
  Verification,
  WizardStart,
} from '../../../shared/domains/config';
import { connectApi } from '../api';
import { useSubscriptions } from '../composables/subscriptions';

/** The screen a plan was previewed on: only that screen shows it, its progress and its report. */
export type PlanOwner = 'config' | 'wizard';

/**
 * The configuration domain: the router's current configuration, the plan being previewed, the apply
 * progress and report, and the journal of an interrupted change. One plan at a time: previewing a new
 * change replaces the previous preview (plans are kept by main and applied by id). A plan belongs to
 * the screen it was previewed on (issue 13: Configuration's first visit showed the wizard's plan).
 */
export const useConfigStore = defineStore('config', () => {
  const api = () => connectApi().api.config;
  const life = useSubscriptions();
  const view = shallowRef<ConfigView | null>(null);
  const plan = shallowRef<PlanView | null>(null);
  const owner = ref<PlanOwner | null>(null);
  const error = ref<ErrorData | null>(null);
  const phases = ref<Record<string, ProgressPhase>>({});
  const report = shallowRef<ApplyReport | null>(null);
  const journal = shallowRef<JournalView | null>(null);
  const wizard = shallowRef<WizardStart | null>(null);
  const verification = shallowRef<Verification | null>(null);
  const busy = ref(false);
  const applying = ref(false);

  /** `forward.dstPort` → message, for the form fields. */
  const fieldErrors = computed<Record<string, string>>(() => {
    const fields = (error.value?.detail as { fields?: FieldError[] } | undefined)?.fields ?? [];
    return Object.fromEntries(fields.map((f) => [f.field, f.message]));
  });
  const interrupted = computed(() => journal.value?.status === 'interrupted' || journal.value?.status === 'applying');

  let started = false;
  function start(): void {
    if (started) return;
    started = true;
    life.keep(
      api().onProgress((e) => {
        if (e.planId === plan.value?.id || e.planId === journal.value?.planId)
          phases.value = { ...phases.value, [e.stepId]: e.phase };
      }),
    );
  }

  async function call<T>(fn: () => Promise<Result<T>>): Promise<T | null> {
    busy.value = true;
    error.value = null;
    try {
      const r = await fn();
      if (!r.ok) error.value = r.error;
      return r.ok ? r.value : null;
    } finally {
      busy.value = false;
    }
  }

  async function load(): Promise<void> {
    const v = await call(() => api().read());
    if (v) view.value = v;
    await loadJournal();
  }

  async function loadJournal(): Promise<void> {
    const r = await api().journal();
    journal.value = r.ok ? r.value : null;
  }

  async function preview(by: PlanOwner, fn: () => Promise<Result<PlanView>>): Promise<PlanView | null> {
    report.value = null;
    phases.value = {};
    const p = await call(fn);
    plan.value = p;
    owner.value = p ? by : null;
    return p;
  }

  /** The plan `screen` previewed, or null when the plan in hand is another screen's. */
  const planFor = (screen: PlanOwner) => (owner.value === screen ? plan.value : null);
  /** The report of what `screen` applied or undid. */
  const reportFor = (screen: PlanOwner) => (owner.value === screen ? report.value : null);

  const previewSettings = (s: UpnpSettingsView) => preview('config', () => api().planSettings(s));
  const previewRoles = (service: 'upnp' | 'nat-pmp', roles: Array<Pick<RoleView, 'interface' | 'type'>>) =>
    preview('config', () => api().planRoles({ service, roles }));
  const previewPermissions = (rules: PermissionView[]) => preview('config', () => api().planPermissions({ rules }));
  const previewForward = (f: ForwardInput) => preview('config', () => api().planForward(f));
  const previewRemoveForward = (id: string) => preview('config', () => api().planRemoveForward({ id }));
  const previewEim = (enabled: boolean) => preview('config', () => api().planEim({ enabled }));
  const previewWizard = (choices: SetupChoicesInput) => preview('wizard', () => api().wizardPlan(choices));

  async function finish(fn: () => Promise<Result<ApplyReport>>): Promise<ApplyReport | null> {
    applying.value = true;
    try {
      const r = await call(fn);
      if (r) report.value = r;
      await load();
      return r;
    } finally {
      applying.value = false;
    }
  }

  async function apply(): Promise<ApplyReport | null> {
    const p = plan.value;
    if (!p) return null;
    phases.value = {};
    return finish(() => api().apply({ planId: p.id }));
  }
  /** Undoes the last change; with `planId`, only if it is that plan (main refuses otherwise). */
  const rollback = (planId?: string) => finish(() => api().rollback(planId ? { planId } : undefined));
  const resume = () => finish(() => api().resume());

  /** Drops the plan in hand — with `screen`, only if it is that screen's. */
  function discard(screen?: PlanOwner): void {
    if (screen && owner.value !== null && owner.value !== screen) return;
    plan.value = null;
    owner.value = null;
    report.value = null;
    phases.value = {};
    error.value = null;
  }

  async function startWizard(): Promise<void> {
    const w = await call(() => api().wizardStart());
    if (w) wizard.value = w;
  }

  async function verify(): Promise<void> {
    const v = await call(() => api().verify());
    if (v) verification.value = v;
  }

  return {
    view,
    plan,
    owner,
    planFor,
    reportFor,
    error,
    fieldErrors,
    phases,
    report,
    journal,
    wizard,
    verification,
    busy,
    applying,
    interrupted,
    start,
    load,
    loadJournal,
    previewSettings,
    previewRoles,
    previewPermissions,
    previewForward,
    previewRemoveForward,
    previewEim,
    previewWizard,
    apply,
    rollback,
    resume,
    discard,
    startWizard,
    verify,
  };
});

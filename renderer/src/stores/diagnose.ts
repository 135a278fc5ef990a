import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { ErrorData } from '../../../shared/contract/result';
import type { ApplyReport, PlanView, ProgressEvent, ProgressPhase } from '../../../shared/domains/config';
import type {
  AuditReport,
  CheckEvent,
  DiagnoseDevice,
  Diagnosis,
  Finding,
  Symptom,
} from '../../../shared/domains/diagnose';
import { connectApi } from '../api';
import { useSubscriptions } from '../composables/subscriptions';

/** One row of the live progress list: pending until its `check` event, running, then its finding. */
export interface CheckRow {
  id: string;
  title: string;
  state: 'running' | 'done';
  finding: Finding | null;
}

/** A fix being previewed or applied (troubleshooter finding, audit finding or suggestion). */
export interface ActiveFix {
  key: string;
  plan: PlanView;
  phases: Record<string, ProgressPhase>;
  report: ApplyReport | null;
  applying: boolean;
}

/** Troubleshooter and security audit: devices, live check progress, fixes applied by plan id. */
export const useDiagnoseStore = defineStore('diagnose', () => {
  const api = () => connectApi().api.diagnose;
  const life = useSubscriptions();
  const devices = shallowRef<DiagnoseDevice[]>([]);
  const device = ref<string | null>(null);
  const symptom = ref<Symptom>('nat-type-3');
  const rows = ref<CheckRow[]>([]);
  const total = ref(0);
  const diagnosis = shallowRef<Diagnosis | null>(null);
  const running = ref(false);
  const audit = shallowRef<AuditReport | null>(null);
  const auditing = ref(false);
  const lastError = ref<ErrorData | null>(null);
  const fix = ref<ActiveFix | null>(null);
  /** Fixes applied since the last run: the screen suggests "Run again". */
  const appliedSinceRun = ref(0);

  const failing = computed(() => rows.value.filter((r) => r.finding?.status === 'fail').length);
  let runId: string | null = null;

  function onCheck(e: CheckEvent): void {
    if (!running.value) return;
    runId ??= e.runId;
    if (e.runId !== runId) return;
    total.value = e.total;
    const row: CheckRow = { id: e.id, title: e.title, state: e.finding ? 'done' : 'running', finding: e.finding };
    const next = rows.value.filter((r) => r.id !== e.id);
    next.splice(e.index, 0, row);
    rows.value = next;
  }

  function onProgress(e: ProgressEvent): void {
    const f = fix.value;
    if (f && f.plan.id === e.planId) fix.value = { ...f, phases: { ...f.phases, [e.stepId]: e.phase } };
  }

  let started = false;
  function start(): void {
    if (started) return;
    started = true;
    life.keep(api().onCheck(onCheck));
    life.keep(api().onProgress(onProgress));
  }

  async function loadDevices(): Promise<void> {
    const r = await api().devices();
    if (!r.ok) {
      lastError.value = r.error;
      return;
    }
    devices.value = r.value;
    if (device.value === null || !r.value.some((d) => d.address === device.value))
      device.value = r.value.find((d) => d.console && d.online)?.address ?? r.value[0]?.address ?? null;
  }

  async function run(): Promise<void> {
    running.value = true;
    runId = null;
    rows.value = [];
    lastError.value = null;
    fix.value = null;
    try {
      const r = await api().run({ symptom: symptom.value, ...(device.value ? { device: device.value } : {}) });
      if (!r.ok) {
        lastError.value = r.error;
        return;
      }
      diagnosis.value = r.value;
      rows.value = r.value.findings.map((f) => ({ id: f.id, title: f.title, state: 'done', finding: f }));
      total.value = rows.value.length;
      appliedSinceRun.value = 0;
    } finally {
      running.value = false;
    }
  }

  async function runAudit(): Promise<void> {
    auditing.value = true;
    lastError.value = null;
    fix.value = null;
    try {
      const r = await api().audit();
      if (!r.ok) lastError.value = r.error;
      else audit.value = r.value;
    } finally {
      auditing.value = false;
    }
  }

  function preview(key: string, plan: PlanView): void {
    fix.value = { key, plan, phases: {}, report: null, applying: false };
  }

  async function applyFix(): Promise<void> {
    const f = fix.value;
    if (!f) return;
    fix.value = { ...f, applying: true };
    const r = await api().apply({ planId: f.plan.id });
    const now = fix.value;
    if (!now || now.plan.id !== f.plan.id) return;
    if (!r.ok) {
      lastError.value = r.error;
      fix.value = { ...now, applying: false };
      return;
    }
    fix.value = { ...now, applying: false, report: r.value };
    if (r.value.outcome === 'applied') appliedSinceRun.value++;
  }

  function closeFix(): void {
    fix.value = null;
  }

  return {
    devices,
    device,
    symptom,
    rows,
    total,
    diagnosis,
    running,
    failing,
    audit,
    auditing,
    lastError,
    fix,
    appliedSinceRun,
    start,
    loadDevices,
    run,
    runAudit,
    preview,
    applyFix,
    closeFix,
  };
});

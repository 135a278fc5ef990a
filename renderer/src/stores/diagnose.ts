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
  /** The check id, with the console's address when the run examined several (`id@address`). */
  key: string;
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

const rowKey = (id: string, device: string | undefined): string => (device ? `${id}@${device}` : id);
const rowsOf = (findings: Finding[]): CheckRow[] =>
  findings.map((f) => ({ key: rowKey(f.id, f.device), id: f.id, title: f.title, state: 'done', finding: f }));

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
  /**
   * Rows whose fix was applied, until the re-run after it (`recheck`) replaces them with what the
   * router says now (issue 13: a fixed problem still counted in the header and kept its Fix button).
   */
  const fixed = ref<ReadonlySet<string>>(new Set());
  /** The quiet re-run after a fix is under way. */
  const rechecking = ref(false);

  const failing = computed(
    () => rows.value.filter((r) => r.finding?.status === 'fail' && !fixed.value.has(r.key)).length,
  );
  let runId: string | null = null;

  function onCheck(e: CheckEvent): void {
    if (!running.value) return;
    runId ??= e.runId;
    if (e.runId !== runId) return;
    total.value = e.total;
    const key = rowKey(e.id, e.device);
    const row: CheckRow = { key, id: e.id, title: e.title, state: e.finding ? 'done' : 'running', finding: e.finding };
    const next = rows.value.filter((r) => r.key !== key);
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

  /** The user picked a device (or "no device": every console) since the router was connected. */
  let userChose = false;
  function chooseDevice(address: string | null): void {
    userChose = true;
    device.value = address;
  }

  /** `fresh`: a new connection, so an earlier choice no longer applies. */
  async function loadDevices(fresh = false): Promise<void> {
    if (fresh) userChose = false;
    const r = await api().devices();
    if (!r.ok) {
      lastError.value = r.error;
      return;
    }
    devices.value = r.value;
    // A choice of the user's stands, "no device" and a typed address included (a list that arrives
    // later replaced it with the first console).
    if (userChose) return;
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
      rows.value = rowsOf(r.value.findings);
      total.value = rows.value.length;
      fixed.value = new Set();
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
    if (r.value.outcome !== 'applied') return;
    appliedSinceRun.value++;
    // Every troubleshooter row this plan fixes (the three permission checks share one) is fixed now;
    // the re-run then says what the router says. An audit fix is not a row here: its screen re-runs.
    const mine = rows.value.filter((row) => row.finding?.fix?.id === f.plan.id).map((row) => row.key);
    if (mine.length === 0) return;
    fixed.value = new Set([...fixed.value, ...mine]);
    void recheck();
  }

  let recheckAgain = false;
  /**
   * Runs the last diagnosis again without clearing the screen: its findings replace the rows when it
   * is done. A fix applied meanwhile asks for one more run. A fix still open as a preview gets the
   * new run's plan for its row (or closes when the row has none now); an applied fix keeps its report.
   */
  async function recheck(): Promise<void> {
    const d = diagnosis.value;
    if (!d || running.value) return;
    if (rechecking.value) return void (recheckAgain = true);
    rechecking.value = true;
    try {
      const r = await api().run({ symptom: d.symptom, ...(d.device ? { device: d.device.address } : {}) });
      if (running.value) return; // the user started a run of their own
      if (!r.ok) return void (lastError.value = r.error);
      diagnosis.value = r.value;
      rows.value = rowsOf(r.value.findings);
      total.value = rows.value.length;
      fixed.value = new Set();
      appliedSinceRun.value = 0;
      const open = fix.value;
      if (open && !open.report && !open.applying) {
        const plan = rows.value.find((row) => row.key === open.key)?.finding?.fix;
        fix.value = plan ? { ...open, plan, phases: {} } : null;
      }
    } finally {
      rechecking.value = false;
    }
    if (recheckAgain) {
      recheckAgain = false;
      await recheck();
    }
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
    fixed,
    rechecking,
    start,
    chooseDevice,
    loadDevices,
    run,
    runAudit,
    preview,
    applyFix,
    closeFix,
  };
});

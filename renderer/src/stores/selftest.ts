import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { ErrorData } from '../../../shared/contract/result';
import type { AdapterView, SelfTestOptionsInput, SelfTestReport, SelfTestStep } from '../../../shared/domains/selftest';
import { connectApi } from '../api';
import { useSubscriptions } from '../composables/subscriptions';

/** "Test from this PC": the running or last self-test, updated live from `step` / `finished` events. */
export const useSelfTestStore = defineStore('selftest', () => {
  const api = () => connectApi().api.selftest;
  const life = useSubscriptions();
  const report = shallowRef<SelfTestReport | null>(null);
  const runId = ref<string | null>(null);
  const lastError = ref<ErrorData | null>(null);
  const starting = ref(false);
  const running = computed(() => starting.value || report.value?.running === true);
  const steps = computed<SelfTestStep[]>(() => report.value?.steps ?? []);
  const findings = computed(() => report.value?.findings ?? []);
  const done = computed(() => report.value !== null && !report.value.running);
  /** This PC's adapters, for "Test from this adapter" (issue 15). */
  const adapters = shallowRef<AdapterView[]>([]);

  function applyStep(id: string, step: SelfTestStep): void {
    const r = report.value;
    if (!r || r.runId !== id) return;
    report.value = { ...r, steps: r.steps.map((s) => (s.id === step.id ? step : s)) };
  }

  let started = false;
  function start(): void {
    if (started) return;
    started = true;
    life.keep(api().onStep(({ runId: id, step }) => applyStep(id, step)));
    life.keep(
      api().onFinished((final) => {
        if (runId.value === null || final.runId === runId.value) report.value = final;
      }),
    );
    void api()
      .last()
      .then((r) => {
        if (r.ok && r.value && !report.value) {
          report.value = r.value;
          runId.value = r.value.runId;
        }
      });
  }

  async function run(options: SelfTestOptionsInput): Promise<boolean> {
    starting.value = true;
    lastError.value = null;
    try {
      const result = await api().start(options);
      if (!result.ok) {
        lastError.value = result.error;
        return false;
      }
      runId.value = result.value.runId;
      // The run's first events may come before this answer: take the service's view, then live events.
      const last = await api().last();
      if (last.ok && last.value?.runId === result.value.runId) report.value = last.value;
      return true;
    } finally {
      starting.value = false;
    }
  }

  async function loadAdapters(): Promise<void> {
    const result = await api().adapters();
    if (result.ok) adapters.value = result.value;
  }

  /** Stops after the current step; the run still removes its test mapping and then reports. */
  async function cancel(): Promise<void> {
    const result = await api().cancel();
    if (!result.ok) lastError.value = result.error;
  }

  return { report, runId, steps, findings, running, done, lastError, adapters, start, run, cancel, loadAdapters };
});

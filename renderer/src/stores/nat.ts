import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { ErrorData } from '../../../shared/contract/result';
import type { MeasuredNat, NatProgress, NatSettings } from '../../../shared/domains/nat';
import { connectApi } from '../api';
import { useSubscriptions } from '../composables/subscriptions';

/**
 * The NAT type measured from this PC (issue 12): the STUN server setting, the user's consent to
 * contact it, the running measurement's progress and the results. Nothing is measured without the
 * consent: `ensureConsent()` opens the dialog (it reads `asking`) and waits for the user's answer;
 * `measure()` and the self-test's inbound step go through it. The result before the latest one is
 * kept, so a screen can show what a fix changed.
 */
export const useNatStore = defineStore('nat', () => {
  const api = () => connectApi().api.nat;
  const life = useSubscriptions();
  const settings = shallowRef<NatSettings | null>(null);
  const current = shallowRef<MeasuredNat | null>(null);
  const previous = shallowRef<MeasuredNat | null>(null);
  const progress = shallowRef<NatProgress[]>([]);
  const measuring = ref(false);
  const lastError = ref<ErrorData | null>(null);
  /** The consent dialog is open: whatever needs the server waits for the user's answer. */
  const asking = ref(false);
  const consented = computed(
    () => !!settings.value?.consent && settings.value.consent.server === settings.value.server,
  );

  function take(m: MeasuredNat): void {
    if (current.value?.runId === m.runId) return;
    if (current.value) previous.value = current.value;
    current.value = m;
  }

  let started = false;
  function start(): void {
    if (started) return;
    started = true;
    life.keep(
      api().onProgress((p) => {
        if (measuring.value) progress.value = [...progress.value.filter((x) => x.runId === p.runId), p];
      }),
    );
    life.keep(api().onMeasured(take));
    void load();
  }

  async function load(): Promise<void> {
    const [s, last] = await Promise.all([api().settings(), api().last()]);
    if (s.ok) settings.value = s.value;
    else lastError.value = s.error;
    if (last.ok && last.value && !current.value) current.value = last.value;
  }

  async function run(): Promise<boolean> {
    measuring.value = true;
    progress.value = [];
    lastError.value = null;
    try {
      const r = await api().measure();
      if (!r.ok) {
        lastError.value = r.error;
        return false;
      }
      take(r.value);
      return true;
    } finally {
      measuring.value = false;
    }
  }

  let pendingAnswer: ((agreed: boolean) => void) | null = null;

  /** True when the user agreed to contact the server of the setting; otherwise opens the consent
   *  dialog and resolves with the user's answer (agreeing records the consent first). */
  async function ensureConsent(): Promise<boolean> {
    if (!settings.value) await load();
    if (consented.value) return true;
    pendingAnswer?.(false);
    asking.value = true;
    return new Promise<boolean>((resolve) => (pendingAnswer = resolve));
  }

  /** The user's answer in the consent dialog. */
  async function answer(agree: boolean): Promise<void> {
    asking.value = false;
    const settle = pendingAnswer ?? (() => undefined);
    pendingAnswer = null;
    const s = settings.value;
    if (!s || !agree) return settle(false);
    const r = await api().consent({ server: s.server, agree: true });
    if (r.ok) settings.value = r.value;
    else lastError.value = r.error;
    settle(r.ok);
  }

  /** Measures against the server of the setting, asking for consent first when needed. */
  async function measure(): Promise<boolean> {
    if (measuring.value) return false;
    if (!(await ensureConsent())) return false;
    return run();
  }

  async function withdraw(): Promise<void> {
    const s = settings.value;
    if (!s) return;
    const r = await api().consent({ server: s.server, agree: false });
    if (r.ok) settings.value = r.value;
    else lastError.value = r.error;
  }

  /** null: back to the default server. Returns the error message, or null when saved. */
  async function saveServer(server: string | null): Promise<string | null> {
    const r = await api().saveSettings({ server });
    if (!r.ok) return r.error.message;
    settings.value = r.value;
    return null;
  }

  return {
    settings,
    current,
    previous,
    progress,
    measuring,
    lastError,
    asking,
    consented,
    start,
    ensureConsent,
    measure,
    answer,
    withdraw,
    saveServer,
  };
});

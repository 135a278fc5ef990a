import { defineStore } from 'pinia';
import { computed, markRaw, ref, shallowRef, triggerRef, watch } from 'vue';
import type { ErrorData } from '../../../shared/contract/result';
import type {
  CleanupConfirm,
  CleanupPlan,
  CleanupPreview,
  CleanupProgress,
  CleanupSummary,
  HistoryPoint,
  MappingsDelta,
  MappingsSettings,
  MappingView,
  MonitorStatus,
} from '../../../shared/domains/mappings';
import { connectApi } from '../api';
import { useSubscriptions } from '../composables/subscriptions';
import { useRouterStore } from './router';

/** How long a new row stays highlighted and a removed row fades out (ms). */
export const HIGHLIGHT_MS = 2500;
export const FADE_MS = 800;
/** More changed rows than this in one delta are applied without highlight or fade. */
export const BULK_ROWS = 200;

export interface Row extends MappingView {
  /** 'new' briefly after it appeared, 'leaving' while it fades out. */
  mark: 'new' | 'leaving' | null;
}

/**
 * The mappings domain in the renderer: the live set (a Map in a shallowRef, so 10,000 rows are not
 * made deeply reactive), applied from the backend's batched deltas; cleanup flow; the settings (kept in
 * step when they change elsewhere: the tray's "Pause alerts"). Alerts live in stores/alerts.ts.
 * `$dispose()` unsubscribes every event and clears the clock, the highlight timers and the batching timer.
 */
export const useMappingsStore = defineStore('mappings', () => {
  const api = () => connectApi().api.mappings;
  const life = useSubscriptions();
  const byId = shallowRef(new Map<string, Row>());
  const status = ref<MonitorStatus>({ phase: 'idle', message: null, count: 0 });
  const points = shallowRef<HistoryPoint[]>([]);
  const settings = ref<MappingsSettings | null>(null);
  const preview = shallowRef<CleanupPreview | null>(null);
  /** The plan for the current selection (the preview's, then re-planned as the user unticks). */
  const plan = shallowRef<CleanupPlan | null>(null);
  const progress = ref<CleanupProgress | null>(null);
  const summary = shallowRef<CleanupSummary | null>(null);
  const lastError = ref<ErrorData | null>(null);
  /** Why the last preview could not be made (not connected, …): the dialog says that, not "none stale". */
  const previewError = ref<ErrorData | null>(null);
  const now = ref(Date.now());
  let seq = 0;
  let buffered: MappingsDelta[] | null = null;
  /** Row id → cancel of its highlight / fade-out timer. */
  const marks = new Map<string, () => void>();

  const rows = computed(() => [...byId.value.values()]);
  // In the store's own scope (not a screen's): ends with the store.
  const routerStore = useRouterStore();
  watch(
    () => routerStore.session,
    () => forgetRouter(routerStore.state.kind === 'connecting' ? 'loading' : 'idle'),
  );

  /*
   * Every change to the table's data makes the data table re-process all 10,000 rows, so the store
   * tells Vue at most once a frame when mappings come or go, and at most twice a second when only
   * counters/status moved (the Map itself is always current). Rows are markRaw: nothing walks
   * 10,000 objects through reactive proxies.
   */
  let pending: { cancel: () => void; urgent: boolean } | null = null;
  function publish(urgent: boolean): void {
    if (pending && (pending.urgent || !urgent)) return;
    pending?.cancel();
    pending = {
      urgent,
      cancel: life.after(urgent ? 16 : 500, () => {
        pending = null;
        const count = byId.value.size;
        if (status.value.count !== count) status.value = { ...status.value, count };
        triggerRef(byId);
      }),
    };
  }
  const raw = (v: MappingView, mark: Row['mark']): Row => markRaw({ ...v, mark });
  const staleCount = computed(() => rows.value.filter((r) => r.status === 'stale' && r.mark !== 'leaving').length);

  /** Runs `then` once the row's highlight or fade-out is over (a newer mark of the row replaces it). */
  function mark(id: string, ms: number, then: () => void): void {
    marks.get(id)?.();
    marks.set(
      id,
      life.after(ms, () => {
        marks.delete(id);
        then();
      }),
    );
  }

  /**
   * A cleanup of ours is running: a flush-and-restore drops thousands of rows and brings them back a
   * few per frame for seconds. Re-processing the table for each of those deltas kept the renderer on a
   * full core while the backend and the router it competed with did the work (issue 11), so meanwhile
   * rows change unmarked and the table behind the progress dialog catches up at the calm pace.
   */
  let cleaning = false;

  function apply(d: MappingsDelta): void {
    if (d.seq <= seq) return;
    seq = d.seq;
    const map = byId.value;
    if (d.reset) {
      map.clear();
      for (const v of d.added) map.set(v.id, raw(v, null));
    } else {
      // A bulk change (a cleanup's thousands of removals and restores) is applied without per-row
      // highlight and fade: one timer per row kept the renderer busy for seconds (issue 11). So are
      // the rows of a snapshot still being read (they stream in while the monitor is not live yet,
      // issue 14): they are the table, not news.
      const bulk = cleaning || status.value.phase !== 'live' || d.added.length + d.removed.length > BULK_ROWS;
      for (const v of d.added) {
        map.set(v.id, raw(v, bulk ? null : 'new'));
        if (!bulk) mark(v.id, HIGHLIGHT_MS, () => unmark(v.id));
      }
      for (const v of d.updated) map.set(v.id, raw(v, map.get(v.id)?.mark === 'new' ? 'new' : null));
      for (const id of d.removed) {
        const row = map.get(id);
        if (!row) continue;
        if (bulk) {
          marks.get(id)?.();
          marks.delete(id);
          map.delete(id);
          continue;
        }
        map.set(id, raw(row, 'leaving'));
        mark(id, FADE_MS, () => drop(id));
      }
    }
    if (!cleaning) status.value = { ...status.value, count: map.size };
    publish(d.reset || (!cleaning && (d.added.length > 0 || d.removed.length > 0)));
  }

  function unmark(id: string): void {
    const row = byId.value.get(id);
    if (row?.mark === 'new') {
      byId.value.set(id, raw(row, null));
      publish(false);
    }
  }

  function drop(id: string): void {
    if (byId.value.get(id)?.mark === 'leaving') {
      byId.value.delete(id);
      publish(true);
    }
  }

  /**
   * Another router, or none (issue 13: the old router's rows stayed for seconds after switching the
   * demo scenario): its rows, history and cleanup go at once; the new session's monitor sends its own
   * rows (a reset delta) when it has them. Deltas are numbered across sessions, so `seq` stays.
   */
  function forgetRouter(next: MonitorStatus['phase']): void {
    for (const cancel of marks.values()) cancel();
    marks.clear();
    byId.value = new Map();
    points.value = [];
    preview.value = null;
    plan.value = null;
    progress.value = null;
    summary.value = null;
    status.value = { phase: next, message: null, count: 0 };
    pending?.cancel();
    pending = null;
  }

  async function load(): Promise<void> {
    buffered = [];
    const r = await api().snapshot();
    if (!r.ok) {
      lastError.value = r.error;
      buffered = null;
      return;
    }
    byId.value = new Map(r.value.mappings.map((v) => [v.id, raw(v, null)]));
    seq = r.value.seq;
    status.value = r.value.status;
    now.value = r.value.at;
    const pending = buffered;
    buffered = null;
    for (const d of pending) apply(d);
    void loadHistory();
  }

  async function loadHistory(): Promise<void> {
    const r = await api().history();
    if (r.ok) points.value = r.value.points;
  }

  let started = false;
  function start(): void {
    if (started) return;
    started = true;
    life.keep(api().onDelta((d) => (buffered ? buffered.push(d) : apply(d))));
    life.keep(
      api().onStatus((s) => {
        status.value = s;
        if (s.phase === 'live') void loadHistory();
      }),
    );
    life.keep(api().onCleanupProgress((p) => (progress.value = p)));
    let missed = false;
    life.keep(
      connectApi().onSocketState((s) => {
        // Web mode: deltas sent while the socket was down are lost; start again from a snapshot.
        if (s === 'open' && missed) void load();
        missed = s !== 'open' && s !== 'connecting';
      }),
    );
    life.keep(api().onSettingsChanged((s) => (settings.value = s)));
    life.every(1000, () => (now.value = Date.now()));
    void load();
    void api()
      .settings()
      .then((r) => r.ok && (settings.value = r.value));
  }

  /** The stale mappings and their plan; `only` = the one mapping a row's Remove asks about. */
  async function openPreview(only?: string): Promise<CleanupPreview | null> {
    summary.value = null;
    progress.value = null;
    plan.value = null;
    const r = await api().previewCleanup(only ? { only } : undefined);
    if (!r.ok) lastError.value = r.error;
    previewError.value = r.ok ? null : r.error;
    preview.value = r.ok ? r.value : null;
    plan.value = preview.value?.plan ?? null;
    return preview.value;
  }

  /** Re-plans for the ids still ticked; a reply for an older selection is dropped. */
  let planSeq = 0;
  async function replan(ids: string[]): Promise<CleanupPlan | null> {
    const p = preview.value;
    if (!p) return null;
    const mine = ++planSeq;
    const r = await api().planCleanup({ previewId: p.previewId, ids });
    if (mine !== planSeq) return null;
    if (!r.ok) lastError.value = r.error;
    plan.value = r.ok ? r.value : null;
    return plan.value;
  }

  async function runCleanup(ids: string[], confirm: CleanupConfirm): Promise<CleanupSummary | null> {
    if (!preview.value) return null;
    cleaning = true;
    const r = await api()
      .runCleanup({ previewId: preview.value.previewId, ids, confirm })
      .finally(() => {
        cleaning = false;
        publish(true);
      });
    if (!r.ok) lastError.value = r.error;
    summary.value = r.ok ? r.value : null;
    return summary.value;
  }

  async function saveSettings(patch: Partial<MappingsSettings>) {
    const r = await api().saveSettings(patch);
    if (r.ok) settings.value = r.value;
    else lastError.value = r.error;
    return r;
  }

  return {
    byId,
    rows,
    status,
    points,
    settings,
    preview,
    plan,
    progress,
    summary,
    lastError,
    previewError,
    now,
    staleCount,
    start,
    load,
    loadHistory,
    apply,
    openPreview,
    replan,
    runCleanup,
    saveSettings,
    startTrafficLog: (id: string) => api().startTrafficLog({ id }),
    trafficLog: (id: string) => api().trafficLog({ id }),
    stopTrafficLog: (id: string) => api().stopTrafficLog({ id }),
    makePermanent: (id: string, hairpin: boolean) => api().makePermanent({ id, hairpin }),
    commands: (id: string) => api().commands({ id }),
    /** The Mappings screen is (not) on screen: main paces its router reads by it (useScreenWatch). */
    watch: (visible: boolean) => void api().watch({ visible }),
  };
});

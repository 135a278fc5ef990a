/**
 * The mappings domain service: runs one MappingMonitor per live router session, and exposes the
 * snapshot, batched deltas, history, settings, cleanup and row actions. Ports injected (router,
 * router state, clock, files, IGD delete); nothing from electron.
 */
import type { DomainService, EventSink } from '../../../shared/contract/define';
import { ContractError } from '../../../shared/contract/result';
import {
  DEFAULT_SETTINGS,
  settingsSchema,
  type MappingsSettings,
  type mappingsDomain,
} from '../../../shared/domains/mappings';
import type { SessionState } from '../../../shared/domains/router';
import type { RouterPort } from '../../core/router-port';
import { commandsFor, makePermanent, readTrafficLog, startTrafficLog, stopTrafficLog } from '../../mappings/actions';
import { DeltaBatcher } from '../../mappings/batcher';
import { Cleanup } from '../../mappings/cleanup';
import { systemMappingsClock, type MappingsClock } from '../../mappings/clock';
import { createFileStore, memoryFileStore } from '../../mappings/file-store';
import { HistoryStore, type FileStore } from '../../mappings/history';
import { MappingMonitor } from '../../mappings/monitor';
import { createOuiLoader, type OuiLoader } from '../../mappings/oui';
import type { IgdDelete } from '../../mappings/strategies';
import { DATA_FILES, historyFile } from '../../storage';
import { restartService } from './restart';

export interface MappingsServiceDeps {
  router: () => RouterPort | null;
  onRouterState: (listener: (state: SessionState) => void) => () => void;
  emit: EventSink<typeof mappingsDomain>;
  /** Where history and settings live; null keeps them in memory. */
  dataDir: string | null;
  clock?: MappingsClock;
  files?: FileStore;
  vendors?: OuiLoader;
  igdDelete?: IgdDelete;
  concurrency?: number;
  log?: (line: string) => void;
}

export interface MappingsService extends DomainService<typeof mappingsDomain> {
  /** The running monitor (bench and tests read its state). */
  monitor(): MappingMonitor | null;
  /** Resolves when the monitor for the current session has its first snapshot. */
  ready(): Promise<void>;
  dispose(): Promise<void>;
}

const SETTINGS_FILE = DATA_FILES.mappingsSettings;

/** History is per router profile; the built-in demo router is one per profile + scenario. */
export const historyProfile = (profileId: string, target: string): string =>
  profileId === 'demo' ? `demo-${target.replace(/[^\w]+/g, '-')}` : profileId;
const SCHEDULE_CHECK_MS = 10 * 60_000;

export function createMappingsService(deps: MappingsServiceDeps): MappingsService {
  const clock = deps.clock ?? systemMappingsClock();
  const files = deps.files ?? (deps.dataDir ? createFileStore(deps.dataDir) : memoryFileStore());
  const vendors = deps.vendors ?? createOuiLoader();
  const log = deps.log ?? (() => {});
  const batcher = new DeltaBatcher((d) => deps.emit('delta', d), clock);
  const cleanup = new Cleanup({
    clock,
    igdDelete: deps.igdDelete,
    concurrency: deps.concurrency,
    onProgress: (p) => deps.emit('cleanupProgress', p),
  });
  const logRules = new Map<string, string>();
  let settings: MappingsSettings = { ...DEFAULT_SETTINGS };
  const settingsLoaded = loadSettings();
  let monitor: MappingMonitor | null = null;
  let profile: string | null = null;
  let starting: Promise<void> = Promise.resolve();
  let lastKind: SessionState['kind'] = 'idle';
  let lastScheduled = clock.now();

  async function loadSettings(): Promise<void> {
    try {
      const text = await files.read(SETTINGS_FILE);
      if (text) settings = { ...DEFAULT_SETTINGS, ...settingsSchema.partial().parse(JSON.parse(text)) };
    } catch (err) {
      log(`mappings settings unreadable, using defaults: ${String(err)}`);
    }
  }

  async function stopMonitor(): Promise<void> {
    const old = monitor;
    monitor = null;
    profile = null;
    logRules.clear();
    if (old) await old.stop();
  }

  async function startMonitor(profileId: string): Promise<void> {
    await stopMonitor();
    const router = deps.router();
    if (!router) return;
    await settingsLoaded;
    const name = historyFile(profileId);
    const history = new HistoryStore(files, name, clock, (e) => log(`mappings history: ${String(e)}`));
    await history.load();
    const next = new MappingMonitor({
      router,
      clock,
      history,
      batcher,
      vendors,
      log,
      settings: () => settings,
      onStatus: (s) => deps.emit('status', s),
      onNotice: (n) => deps.emit('notice', n),
    });
    monitor = next;
    profile = profileId;
    await next.start().catch((err: unknown) => log(`mappings monitor: ${String(err)}`));
  }

  const unsubscribe = deps.onRouterState((state) => {
    const was = lastKind;
    lastKind = state.kind;
    if (state.kind === 'connected') {
      // After `reconnecting` the listens resume themselves and fire onResumed; resync anyway so a
      // session that cannot resume a listen still ends up with a fresh, reconciled snapshot.
      if (monitor && profile === state.profileId && was === 'reconnecting') void monitor.resync().catch(() => {});
      // Serialised: two quick `connected` states must not leave two monitors running (double events).
      else starting = starting.catch(() => {}).then(() => startMonitor(state.profileId));
    } else if (state.kind === 'idle' || state.kind === 'disconnected') {
      starting = starting
        .catch(() => {})
        .then(stopMonitor)
        .then(() => {
          batcher.reset([]);
          deps.emit('status', { phase: 'idle', message: null, count: 0 });
        });
    }
  });

  const schedule = clock.setInterval(() => void scheduled(), SCHEDULE_CHECK_MS);
  async function scheduled(): Promise<void> {
    const live = deps.router();
    if (!settings.scheduledCleanup || !monitor || !live) return;
    if (clock.now() - lastScheduled < settings.scheduledCleanupHours * 3_600_000) return;
    lastScheduled = clock.now();
    const preview = cleanup.preview(monitor.list());
    const ids = preview.candidates.map((c) => c.mapping.id);
    if (ids.length > 0)
      await cleanup.run(live, preview.previewId, ids).catch((e: unknown) => log(`scheduled cleanup: ${String(e)}`));
  }

  function live(): { router: RouterPort; monitor: MappingMonitor } {
    const router = deps.router();
    if (!router || !monitor)
      throw new ContractError('not-connected', 'Not connected to a router: connect on the Connect screen first.');
    return { router, monitor };
  }

  function viewOf(id: string) {
    const { router, monitor: m } = live();
    const view = m.get(id);
    const facts = m.facts(id);
    if (!view || !facts) throw new ContractError('not-found', `No mapping ${id} on the router any more.`);
    return { router, view, facts, monitor: m };
  }

  const routerError = (err: unknown): never => {
    if (err instanceof ContractError) throw err;
    throw new ContractError('router-error', err instanceof Error ? err.message : String(err));
  };

  return {
    monitor: () => monitor,
    ready: async () => {
      await starting;
    },
    async snapshot() {
      batcher.flush();
      return {
        mappings: monitor?.list() ?? [],
        seq: batcher.seq,
        status: monitor?.currentStatus() ?? { phase: 'idle', message: null, count: 0 },
        at: clock.now(),
      };
    },
    async history() {
      const m = live().monitor;
      return m.historyView();
    },
    async settings() {
      await settingsLoaded;
      return settings;
    },
    async saveSettings(patch) {
      await settingsLoaded;
      settings = settingsSchema.parse({ ...settings, ...patch });
      await files.write(SETTINGS_FILE, JSON.stringify(settings));
      monitor?.recomputeAll();
      return settings;
    },
    async previewCleanup() {
      return cleanup.preview(live().monitor.list());
    },
    async runCleanup({ previewId, ids }) {
      const summary = await cleanup.run(live().router, previewId, ids);
      return summary;
    },
    async restartService({ service }) {
      const { router, monitor: m } = live();
      return restartService(router, m, service).catch(routerError);
    },
    async remove({ id }) {
      const { router, view } = viewOf(id);
      return cleanup.removeOne(router, view);
    },
    async startTrafficLog({ id }) {
      const { router, view } = viewOf(id);
      const ruleId = logRules.get(id) ?? (await startTrafficLog(router, view).catch(routerError));
      logRules.set(id, ruleId);
      return readTrafficLog(router, view, ruleId).catch(routerError);
    },
    async trafficLog({ id }) {
      const { router, view } = viewOf(id);
      return readTrafficLog(router, view, logRules.get(id) ?? null).catch(routerError);
    },
    async stopTrafficLog({ id }) {
      const { router, view } = viewOf(id);
      const ruleId = logRules.get(id);
      if (!ruleId) return;
      await stopTrafficLog(router, view, ruleId).catch(routerError);
      logRules.delete(id);
    },
    async makePermanent({ id, hairpin }) {
      const { router, facts } = viewOf(id);
      return makePermanent(router, facts, hairpin).catch(routerError);
    },
    async commands({ id }) {
      return { text: commandsFor(viewOf(id).facts) };
    },
    async dispose() {
      unsubscribe();
      clock.clearInterval(schedule);
      await starting.catch(() => {});
      await stopMonitor();
    },
  };
}

/**
 * The mappings domain service: one MappingsSession (a monitor per connected router), the settings
 * file, what each router allowed the cleanup (learned per router), the scheduled cleanup, and the
 * contract's methods (snapshot, batched deltas, history, cleanup, row actions). Ports injected (router,
 * router state, clock, files, IGD requests, the per-router change lock); nothing from electron.
 */
import type { DomainService, EventSink } from '../../../shared/contract/define';
import { ContractError } from '../../../shared/contract/result';
import type { mappingsDomain } from '../../../shared/domains/mappings';
import type { SessionState } from '../../../shared/domains/router';
import type { RouterLink } from '../../core/router-link';
import { commandsFor, makePermanent, readTrafficLog, startTrafficLog, stopTrafficLog } from '../../mappings/actions';
import { DeltaBatcher } from '../../mappings/batcher';
import { Cleanup, type CleanupTarget, type LearnedStore } from '../../mappings/cleanup';
import { systemMappingsClock, type MappingsClock } from '../../mappings/clock';
import { createFileStore, memoryFileStore } from '../../mappings/file-store';
import type { FileStore } from '../../mappings/history';
import type { MappingMonitor } from '../../mappings/monitor';
import { createOuiLoader, type OuiLoader } from '../../mappings/oui';
import type { IgdActions } from '../../mappings/igd-port';
import { CapabilityBook } from '../../mappings/learned';
import { DATA_FILES } from '../../storage';
import { requireRouter } from '../require-router';
import { MappingsSession } from './mappings-session';
import { ScheduledCleanup } from './scheduled-cleanup';
import { SettingsFile } from './settings-file';

export interface MappingsServiceDeps {
  router: () => RouterLink | null;
  onRouterState: (listener: (state: SessionState) => void) => () => void;
  emit: EventSink<typeof mappingsDomain>;
  /** Where history and settings live; null keeps them in memory. */
  dataDir: string | null;
  clock?: MappingsClock;
  files?: FileStore;
  vendors?: OuiLoader;
  /** UPnP IGD requests from this computer (delete, restore); absent = the cleanup plans without them. */
  igd?: IgdActions;
  /** The per-router change lock (ChangeApplier): a cleanup's UPnP restart never meets a config apply. */
  lock?: RouterLock;
  /** Where history files go (default `files`); the CLI keeps them in memory. */
  historyFiles?: FileStore;
  concurrency?: number;
  restoreLanes?: number;
  verifyMs?: number;
  log?: (line: string) => void;
}

export interface RouterLock {
  runExclusive<T>(
    router: RouterLink,
    title: string,
    fn: () => Promise<T>,
    onWaiting?: (running: string) => void,
  ): Promise<T>;
}

export interface MappingsService extends DomainService<typeof mappingsDomain> {
  /** The running monitor (bench and tests read its state). */
  monitor(): MappingMonitor | null;
  /** Resolves when the monitor for the current session has its first snapshot. */
  ready(): Promise<void>;
  dispose(): Promise<void>;
}

export function createMappingsService(deps: MappingsServiceDeps): MappingsService {
  const clock = deps.clock ?? systemMappingsClock();
  const files = deps.files ?? (deps.dataDir ? createFileStore(deps.dataDir) : memoryFileStore());
  const log = deps.log ?? (() => {});
  const batcher = new DeltaBatcher((d) => deps.emit('delta', d), clock);
  const settings = new SettingsFile(files, log);
  const cleanup = new Cleanup({
    clock,
    concurrency: deps.concurrency,
    restoreLanes: deps.restoreLanes,
    verifyMs: deps.verifyMs,
    onProgress: (p) => deps.emit('cleanupProgress', p),
  });
  // Learnt per router; a demo run's devices are new on every start, so its answers stay in memory.
  const books = {
    file: new CapabilityBook(files, DATA_FILES.cleanupCapabilities, clock, log),
    demo: new CapabilityBook(memoryFileStore(), DATA_FILES.cleanupCapabilities, clock, log),
  };
  const learnedFor = (link: RouterLink): LearnedStore => {
    const book = link.isDemo ? books.demo : books.file;
    const facts = () => ({ identity: link.capabilities.identity, version: link.capabilities.version });
    return {
      get: () => book.get(link.dataKey, facts()),
      record: (answers) => book.record(link.dataKey, facts(), answers),
    };
  };
  const logRules = new Map<string, string>();
  const session = new MappingsSession({
    router: deps.router,
    clock,
    files: deps.historyFiles ?? files,
    batcher,
    log,
    settingsLoaded: settings.loaded,
    monitor: {
      vendors: deps.vendors ?? createOuiLoader(),
      settings: () => settings.value,
      onStatus: (s) => deps.emit('status', s),
      onNotice: (n) => deps.emit('notice', n),
    },
    onStopped: () => {
      logRules.clear();
      batcher.reset([]);
      deps.emit('status', { phase: 'idle', message: null, count: 0 });
    },
  });
  const unsubscribe = deps.onRouterState((state) => session.follow(state));

  function live(): { router: RouterLink; monitor: MappingMonitor } {
    const router = requireRouter(deps.router);
    const monitor = session.monitor;
    if (!monitor) throw new ContractError('not-connected', 'The mappings of this router are still loading: try again.');
    return { router, monitor };
  }
  function target(): CleanupTarget {
    const { router, monitor } = live();
    const lock = deps.lock;
    return {
      router,
      monitor,
      learned: learnedFor(router),
      igd: deps.igd ?? null,
      exclusive: lock ? (title, fn, onWaiting) => lock.runExclusive(router, title, fn, onWaiting) : undefined,
    };
  }
  const scheduled = new ScheduledCleanup({
    clock,
    cleanup,
    settings: () => settings.value,
    target: () => (deps.router() && session.monitor ? target() : null),
    log,
  });

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
    monitor: () => session.monitor,
    ready: () => session.ready(),
    async snapshot() {
      batcher.flush();
      const m = session.monitor;
      return {
        mappings: m?.list() ?? [],
        seq: batcher.seq,
        status: m?.currentStatus() ?? { phase: 'idle', message: null, count: 0 },
        at: clock.now(),
      };
    },
    history: async () => live().monitor.historyView(),
    async settings() {
      await settings.loaded;
      return settings.value;
    },
    async saveSettings(patch) {
      const next = await settings.save(patch);
      session.monitor?.recomputeAll();
      return next;
    },
    previewCleanup: (input) => cleanup.preview(target(), { only: input?.only }).catch(routerError),
    planCleanup: ({ previewId, ids }) => cleanup.plan(target(), previewId, ids).catch(routerError),
    runCleanup: ({ previewId, ids, confirm }) => cleanup.run(target(), previewId, ids, confirm).catch(routerError),
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
    commands: async ({ id }) => ({ text: commandsFor(viewOf(id).facts) }),
    async dispose() {
      unsubscribe();
      scheduled.dispose();
      await session.dispose();
    },
  };
}

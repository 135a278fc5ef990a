/**
 * The mappings domain service: one MappingsSession (a monitor per connected router), the settings
 * file, the scheduled cleanup, and the contract's methods (snapshot, batched deltas, history, cleanup,
 * row actions). Ports injected (router, router state, clock, files, IGD delete); nothing from electron.
 */
import type { DomainService, EventSink } from '../../../shared/contract/define';
import { ContractError } from '../../../shared/contract/result';
import type { mappingsDomain } from '../../../shared/domains/mappings';
import type { SessionState } from '../../../shared/domains/router';
import type { RouterLink } from '../../core/router-link';
import { DeltaBatcher } from '../../mappings/batcher';
import { Cleanup } from '../../mappings/cleanup';
import { systemMappingsClock, type MappingsClock } from '../../mappings/clock';
import { createFileStore, memoryFileStore } from '../../mappings/file-store';
import type { FileStore } from '../../mappings/history';
import type { MappingMonitor } from '../../mappings/monitor';
import { createOuiLoader, type OuiLoader } from '../../mappings/oui';
import { WatchLease } from '../../mappings/watch';
import type { IgdDelete } from '../../mappings/strategies';
import { requireRouter } from '../require-router';
import { MappingsSession } from './mappings-session';
import { restartService } from './restart';
import { routerError, RowActions } from './row-actions';
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

/** The connected router and its running monitor, or the contract error that says what to do. */
function liveOf(router: () => RouterLink | null, monitor: MappingMonitor | null) {
  const link = requireRouter(router);
  if (!monitor) throw new ContractError('not-connected', 'The mappings of this router are still loading: try again.');
  return { router: link, monitor };
}

/** Everything the Mappings screen needs to start: the rows, the delta sequence they are at, the status. */
function snapshotOf(monitor: MappingMonitor | null, batcher: DeltaBatcher, clock: MappingsClock) {
  batcher.flush();
  return {
    mappings: monitor?.list() ?? [],
    seq: batcher.seq,
    status: monitor?.currentStatus() ?? { phase: 'idle' as const, message: null, count: 0 },
    at: clock.now(),
  };
}

export function createMappingsService(deps: MappingsServiceDeps): MappingsService {
  const clock = deps.clock ?? systemMappingsClock();
  const files = deps.files ?? (deps.dataDir ? createFileStore(deps.dataDir) : memoryFileStore());
  const log = deps.log ?? (() => {});
  const batcher = new DeltaBatcher((d) => deps.emit('delta', d), clock);
  const settings = new SettingsFile(files, log);
  const cleanup = new Cleanup({
    clock,
    igdDelete: deps.igdDelete,
    concurrency: deps.concurrency,
    onProgress: (p) => deps.emit('cleanupProgress', p),
  });
  const lease = new WatchLease(clock, () => session.monitor?.wake());
  const session = new MappingsSession({
    router: deps.router,
    clock,
    files,
    batcher,
    log,
    settingsLoaded: settings.loaded,
    monitor: {
      vendors: deps.vendors ?? createOuiLoader(),
      settings: () => settings.value,
      onStatus: (s) => deps.emit('status', s),
      onNotice: (n) => deps.emit('notice', n),
      watched: () => lease.watched(),
    },
    onStopped: () => {
      rows.forget();
      batcher.reset([]);
      deps.emit('status', { phase: 'idle', message: null, count: 0 });
    },
  });
  const unsubscribe = deps.onRouterState((state) => session.follow(state));

  const live = () => liveOf(deps.router, session.monitor);
  const scheduled = new ScheduledCleanup({
    clock,
    cleanup,
    settings: () => settings.value,
    live: () => (deps.router() && session.monitor ? live() : null),
    log,
  });

  const rows = new RowActions(live);

  return {
    monitor: () => session.monitor,
    ready: () => session.ready(),
    snapshot: async () => snapshotOf(session.monitor, batcher, clock),
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
    previewCleanup: async () => cleanup.preview(live().monitor.list()),
    runCleanup: ({ previewId, ids }) => cleanup.run(live().router, previewId, ids),
    async restartService({ service }) {
      const { router, monitor: m } = live();
      return restartService(router, m, service).catch(routerError);
    },
    async remove({ id }) {
      const { router, view } = rows.view(id);
      return cleanup.removeOne(router, view);
    },
    startTrafficLog: ({ id }) => rows.startTrafficLog(id),
    trafficLog: ({ id }) => rows.trafficLog(id),
    stopTrafficLog: ({ id }) => rows.stopTrafficLog(id),
    makePermanent: ({ id, hairpin }) => rows.makePermanent(id, hairpin),
    commands: async ({ id }) => rows.commands(id),
    watch: async ({ visible }) => lease.set(visible),
    async dispose() {
      unsubscribe();
      scheduled.dispose();
      await session.dispose();
    },
  };
}

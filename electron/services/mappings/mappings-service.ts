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
import { AlertGate } from '../../mappings/alert-gate';
import { DeltaBatcher } from '../../mappings/batcher';
import { Cleanup } from '../../mappings/cleanup';
import { systemMappingsClock, type MappingsClock } from '../../mappings/clock';
import { createFileStore, memoryFileStore } from '../../mappings/file-store';
import type { FileStore } from '../../mappings/history';
import type { MappingMonitor } from '../../mappings/monitor';
import { createOuiLoader, type OuiLoader } from '../../mappings/oui';
import type { IgdDelete } from '../../mappings/strategies';
import { readOnlyReason } from '../../core/write-access';
import { requireRouter, requireWrite } from '../require-router';
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

const cleanupFor = (deps: MappingsServiceDeps, clock: MappingsClock): Cleanup =>
  new Cleanup({
    clock,
    igdDelete: deps.igdDelete,
    concurrency: deps.concurrency,
    onProgress: (p) => deps.emit('cleanupProgress', p),
  });

/** Builds the service's parts (monitor session, settings, alerts, cleanup, row actions) and wires them. */
function assemble(deps: MappingsServiceDeps) {
  const clock = deps.clock ?? systemMappingsClock();
  const files = deps.files ?? (deps.dataDir ? createFileStore(deps.dataDir) : memoryFileStore());
  const log = deps.log ?? (() => {});
  const batcher = new DeltaBatcher((d) => deps.emit('delta', d), clock);
  const settings = new SettingsFile(files, log);
  // Issue 16: new mappings that matter, grouped per device and rate limited, for every window and tray.
  const alerts = new AlertGate({
    clock,
    paused: () => settings.value.alertsPaused,
    emit: (n) => deps.emit('notice', n),
  });
  const cleanup = cleanupFor(deps, clock);
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
      onNotice: (alert) => alerts.push(alert),
    },
    onStopped: () => {
      rows.forget();
      batcher.reset([]);
      deps.emit('status', { phase: 'idle', message: null, count: 0 });
    },
  });
  const unsubscribe = deps.onRouterState((state) => session.follow(state));

  const live = () => liveOf(deps.router, session.monitor);
  /** The live router for a change; a login without the write policy is refused before anything is sent. */
  const writable = (action: string) => {
    const l = live();
    requireWrite(l.router, action);
    return l;
  };
  const scheduled = new ScheduledCleanup({
    clock,
    cleanup,
    settings: () => settings.value,
    // A read-only login cannot clean up: the scheduled run waits for one that can.
    live: () => {
      const router = deps.router();
      return router && session.monitor && !readOnlyReason(router.capabilities, 'cleanup') ? live() : null;
    },
    log,
  });

  const rows = new RowActions(live);
  return { clock, batcher, settings, alerts, cleanup, session, unsubscribe, live, writable, scheduled, rows };
}

export function createMappingsService(deps: MappingsServiceDeps): MappingsService {
  const { clock, batcher, settings, alerts, cleanup, session, unsubscribe, live, writable, scheduled, rows } =
    assemble(deps);
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
      deps.emit('settingsChanged', next);
      return next;
    },
    previewCleanup: async () => cleanup.preview(live().monitor.list()),
    runCleanup: async ({ previewId, ids }) => cleanup.run(writable('Cleaning up mappings').router, previewId, ids),
    async restartService({ service }) {
      const { router, monitor: m } = writable(`Restarting ${service === 'upnp' ? 'UPnP' : 'NAT-PMP'}`);
      return restartService(router, m, service).catch(routerError);
    },
    async remove({ id }) {
      writable('Removing a mapping');
      const { router, view } = rows.view(id);
      return cleanup.removeOne(router, view);
    },
    async startTrafficLog({ id }) {
      writable('Logging a mapping’s traffic (a temporary firewall rule)');
      return rows.startTrafficLog(id);
    },
    trafficLog: ({ id }) => rows.trafficLog(id),
    async stopTrafficLog({ id }) {
      writable('Stopping a traffic log');
      return rows.stopTrafficLog(id);
    },
    async makePermanent({ id, hairpin }) {
      writable('Making a mapping permanent');
      return rows.makePermanent(id, hairpin);
    },
    commands: async ({ id }) => rows.commands(id),
    async dispose() {
      unsubscribe();
      scheduled.dispose();
      alerts.dispose();
      await session.dispose();
    },
  };
}

/**
 * The mappings domain service: one MappingsSession (a monitor per connected router), the settings
 * file, the cleanup (what each router allowed it, learnt per router), the scheduled cleanup, and the
 * contract's methods (snapshot, batched deltas, history, cleanup, row actions). Ports injected (router,
 * router state, clock, files, IGD requests, the per-router change lock); nothing from electron.
 */
import type { DomainService, EventSink } from '../../../shared/contract/define';
import { ContractError } from '../../../shared/contract/result';
import type { mappingsDomain } from '../../../shared/domains/mappings';
import type { SessionState } from '../../../shared/domains/router';
import type { RouterLink } from '../../core/router-link';
import { AlertGate } from '../../mappings/alert-gate';
import { DeltaBatcher } from '../../mappings/batcher';
import { systemMappingsClock, type MappingsClock } from '../../mappings/clock';
import { createFileStore, memoryFileStore } from '../../mappings/file-store';
import type { FileStore } from '../../mappings/history';
import type { MappingMonitor } from '../../mappings/monitor';
import { createOuiLoader, type OuiLoader } from '../../mappings/oui';
import type { IgdActions } from '../../mappings/igd-port';
import { readOnlyReason } from '../../core/write-access';
import { requireRouter, requireWrite } from '../require-router';
import { WatchLease } from '../../mappings/watch';
import { MappingsSession } from './mappings-session';
import { cleanupWiring, type RouterLock } from './cleanup-wiring';
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

export type { RouterLock } from './cleanup-wiring';

export interface MappingsService extends DomainService<typeof mappingsDomain> {
  /** The running monitor (bench and tests read its state). */
  monitor(): MappingMonitor | null;
  /** Resolves when the monitor for the current session has its first snapshot. */
  ready(): Promise<void>;
  /**
   * Starts reading the vendor (OUI) table now, while the app waits for the user to connect, so the
   * first snapshot does not read and index it on the thread decoding its rows (issue 14). Once; a
   * failure is logged and the views show no vendor, as when the monitor's own read fails.
   */
  prepare(): void;
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

/** Builds the service's parts (monitor session, settings, alerts, cleanup, row actions) and wires them. */
function assemble(deps: MappingsServiceDeps) {
  const clock = deps.clock ?? systemMappingsClock();
  const files = deps.files ?? (deps.dataDir ? createFileStore(deps.dataDir) : memoryFileStore());
  const log = deps.log ?? (() => {});
  const batcher = new DeltaBatcher((d) => deps.emit('delta', d), clock);
  const vendors = deps.vendors ?? createOuiLoader();
  const settings = new SettingsFile(files, log);
  // Issue 16: new mappings that matter, grouped per device and rate limited, for every window and tray.
  const alerts = new AlertGate({
    clock,
    paused: () => settings.value.alertsPaused,
    emit: (n) => deps.emit('notice', n),
  });
  const { cleanup, targetOf } = cleanupWiring({ ...deps, clock, files, log });
  const lease = new WatchLease(clock, () => session.monitor?.wake());
  const session = new MappingsSession({
    router: deps.router,
    clock,
    files: deps.historyFiles ?? files,
    batcher,
    log,
    settingsLoaded: settings.loaded,
    monitor: {
      vendors,
      settings: () => settings.value,
      onStatus: (s) => deps.emit('status', s),
      onNotice: (alert) => alerts.push(alert),
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
  const target = () => targetOf(live());
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
    target: () => {
      const router = deps.router();
      return router && session.monitor && !readOnlyReason(router.capabilities, 'cleanup') ? target() : null;
    },
    log,
  });
  const rows = new RowActions(live);
  return {
    clock,
    batcher,
    vendors,
    log,
    settings,
    alerts,
    cleanup,
    session,
    unsubscribe,
    live,
    target,
    writable,
    scheduled,
    rows,
    lease,
  };
}

export function createMappingsService(deps: MappingsServiceDeps): MappingsService {
  const p = assemble(deps);
  return {
    monitor: () => p.session.monitor,
    ready: () => p.session.ready(),
    prepare() {
      p.vendors.load().catch((e: unknown) => p.log(`OUI data: ${String(e)}`));
    },
    snapshot: async () => snapshotOf(p.session.monitor, p.batcher, p.clock),
    history: async () => p.live().monitor.historyView(),
    async settings() {
      await p.settings.loaded;
      return p.settings.value;
    },
    async saveSettings(patch) {
      const next = await p.settings.save(patch);
      p.session.monitor?.recomputeAll();
      deps.emit('settingsChanged', next);
      return next;
    },
    previewCleanup: (input) => p.cleanup.preview(p.target(), { only: input?.only }).catch(routerError),
    planCleanup: ({ previewId, ids }) => p.cleanup.plan(p.target(), previewId, ids).catch(routerError),
    async runCleanup({ previewId, ids, confirm }) {
      p.writable('Cleaning up mappings');
      return p.cleanup.run(p.target(), previewId, ids, confirm).catch(routerError);
    },
    async startTrafficLog({ id }) {
      p.writable('Logging a mapping’s traffic (a temporary firewall rule)');
      return p.rows.startTrafficLog(id);
    },
    trafficLog: ({ id }) => p.rows.trafficLog(id),
    async stopTrafficLog({ id }) {
      p.writable('Stopping a traffic log');
      return p.rows.stopTrafficLog(id);
    },
    async makePermanent({ id, hairpin }) {
      p.writable('Making a mapping permanent');
      return p.rows.makePermanent(id, hairpin);
    },
    commands: async ({ id }) => p.rows.commands(id),
    watch: async ({ visible }) => p.lease.set(visible),
    async dispose() {
      p.unsubscribe();
      p.scheduled.dispose();
      p.alerts.dispose();
      await p.session.dispose();
    },
  };
}

/**
 * One MappingMonitor for the connected router, started and stopped as the router connection changes:
 * a new router gets a fresh monitor with that router's own history; a reconnect of the same router
 * resyncs the running one (its listens resume by themselves; the resync reconciles what was missed).
 */
import type { SessionState } from '../../../shared/domains/router';
import type { RouterLink } from '../../core/router-link';
import type { DeltaBatcher } from '../../mappings/batcher';
import type { MappingsClock } from '../../mappings/clock';
import { memoryFileStore } from '../../mappings/file-store';
import { HistoryStore, type FileStore } from '../../mappings/history';
import { MappingMonitor, type MonitorDeps } from '../../mappings/monitor';
import { historyFile } from '../../storage';

export interface MappingsSessionDeps {
  router: () => RouterLink | null;
  clock: MappingsClock;
  files: FileStore;
  batcher: DeltaBatcher;
  log: (line: string) => void;
  /** A monitor computes its verdicts with the settings: it starts once they are read. */
  settingsLoaded: Promise<void>;
  /** What every monitor shares (vendors, settings, status/notice callbacks). */
  monitor: Omit<MonitorDeps, 'router' | 'clock' | 'history' | 'batcher' | 'log'>;
  onStopped: () => void;
}

/**
 * The history file of a router: first-seen times are true only for the router they were seen on
 * (issue 11: ages never carry over from another router or scenario). The demo router's devices are
 * new on every start, so its history lives in memory for that run only.
 */
export function historyFor(link: RouterLink, files: FileStore): { files: FileStore; name: string } {
  return { files: link.isDemo ? memoryFileStore() : files, name: historyFile(link.dataKey) };
}

export class MappingsSession {
  private current: { link: RouterLink; monitor: MappingMonitor } | null = null;
  private queue: Promise<void> = Promise.resolve();
  private lastKind: SessionState['kind'] = 'idle';

  constructor(private readonly deps: MappingsSessionDeps) {}

  get monitor(): MappingMonitor | null {
    return this.current?.monitor ?? null;
  }

  /** Resolves once the monitor for the current router has its first snapshot (or failed to). */
  ready(): Promise<void> {
    return this.queue;
  }

  /** Feed every router state change here. */
  follow(state: SessionState): void {
    const was = this.lastKind;
    this.lastKind = state.kind;
    if (state.kind === 'connected') {
      const link = this.deps.router();
      if (this.current && link === this.current.link && was === 'reconnecting') {
        // The listens resume themselves; resync anyway so a listen that could not resume still ends
        // up with a fresh, reconciled snapshot.
        void this.current.monitor.resync().catch(() => {});
      } else if (!this.current || link !== this.current.link) {
        // Serialised: two quick `connected` states must not leave two monitors running.
        this.enqueue(() => this.start());
      }
    } else if (state.kind === 'idle' || state.kind === 'disconnected') {
      this.enqueue(async () => {
        await this.stop();
        this.deps.onStopped();
      });
    }
  }

  private enqueue(fn: () => Promise<void>): void {
    this.queue = this.queue.catch(() => {}).then(fn);
  }

  private async start(): Promise<void> {
    await this.stop();
    await this.deps.settingsLoaded;
    const link = this.deps.router();
    if (!link) return;
    const { clock, batcher, log } = this.deps;
    const where = historyFor(link, this.deps.files);
    const history = new HistoryStore(where.files, where.name, clock, (e) => log(`mappings history: ${String(e)}`));
    await history.load();
    const monitor = new MappingMonitor({ ...this.deps.monitor, router: link, clock, history, batcher, log });
    this.current = { link, monitor };
    await monitor.start().catch((err: unknown) => log(`mappings monitor: ${String(err)}`));
  }

  async stop(): Promise<void> {
    const old = this.current;
    this.current = null;
    if (old) await old.monitor.stop();
  }

  async dispose(): Promise<void> {
    await this.queue.catch(() => {});
    await this.stop();
  }
}

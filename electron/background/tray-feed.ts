/**
 * Keeps the tray's state from the events every window also gets (router state, mappings deltas and
 * status, settings), so the tray stays live while no window exists. It costs per change, never per
 * tick: no timer runs unless something changed, and then one coalesces the changes of half a second
 * into one tray update (a 10,000-mapping snapshot arrives as a few large deltas).
 */
import { eventChannel } from '../../shared/contract/define';
import type { MappingsDelta, MappingsSettings, MappingView, MonitorStatus } from '../../shared/domains/mappings';
import type { SessionState } from '../../shared/domains/router';
import type { MappingsClock } from '../mappings/clock';
import { INITIAL_TRAY_STATE, trayView, type RecentMapping, type TrayState, type TrayView } from './tray-model';

export const MAX_RECENT = 5;
export const TRAY_UPDATE_MS = 500;

const CHANNELS = {
  routerState: eventChannel('router', 'state'),
  delta: eventChannel('mappings', 'delta'),
  status: eventChannel('mappings', 'status'),
  settings: eventChannel('mappings', 'settingsChanged'),
};

export interface TrayFeedDeps {
  clock: Pick<MappingsClock, 'setTimeout' | 'clearTimeout'>;
  platform: NodeJS.Platform;
  onView: (view: TrayView) => void;
}

export class TrayFeed {
  private state: TrayState = { ...INITIAL_TRAY_STATE };
  private readonly present = new Set<string>();
  private readonly stale = new Set<string>();
  private timer: unknown = null;
  private lastKey = '';

  constructor(private readonly deps: TrayFeedDeps) {}

  /** The state and view now (tests, and the first paint of the tray). */
  get current(): TrayState {
    return this.state;
  }

  view(): TrayView {
    return trayView(this.state, this.deps.platform);
  }

  /** Feed every hub event here; the ones the tray does not show are ignored. */
  onEvent(channel: string, payload: unknown): void {
    if (channel === CHANNELS.delta) this.applyDelta(payload as MappingsDelta);
    else if (channel === CHANNELS.status) this.update({ phase: (payload as MonitorStatus).phase });
    else if (channel === CHANNELS.settings) this.update({ alertsPaused: (payload as MappingsSettings).alertsPaused });
    else if (channel === CHANNELS.routerState) this.onRouter(payload as SessionState);
  }

  setAlertsPaused(paused: boolean): void {
    this.update({ alertsPaused: paused });
  }

  setNeedsPassword(needs: TrayState['needsPassword']): void {
    this.update({ needsPassword: needs });
  }

  /** Publishes now (first paint), then only on change. */
  publishNow(): void {
    if (this.timer !== null) this.deps.clock.clearTimeout(this.timer);
    this.timer = null;
    const view = this.view();
    const key = JSON.stringify(view);
    if (key === this.lastKey) return;
    this.lastKey = key;
    this.deps.onView(view);
  }

  dispose(): void {
    if (this.timer !== null) this.deps.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  private onRouter(router: SessionState): void {
    // Connected by anyone (the window, or the login start) settles a pending password question.
    this.update(router.kind === 'connected' ? { router, needsPassword: null } : { router });
  }

  private applyDelta(d: MappingsDelta): void {
    let recent = this.state.recent;
    if (d.reset) {
      this.present.clear();
      this.stale.clear();
    }
    for (const v of [...d.added, ...d.updated]) this.track(v);
    for (const id of d.removed) {
      this.present.delete(id);
      this.stale.delete(id);
    }
    if (!d.reset && d.added.length > 0) {
      const fresh = d.added.slice(-MAX_RECENT).reverse().map(recentOf);
      const ids = new Set(fresh.map((r) => r.id));
      recent = [...fresh, ...recent.filter((r) => !ids.has(r.id))].slice(0, MAX_RECENT);
    }
    recent = recent.filter((r) => this.present.has(r.id));
    this.update({ count: this.present.size, stale: this.stale.size, recent });
  }

  private track(v: MappingView): void {
    this.present.add(v.id);
    if (v.status === 'stale') this.stale.add(v.id);
    else this.stale.delete(v.id);
  }

  private update(patch: Partial<TrayState>): void {
    this.state = { ...this.state, ...patch };
    this.timer ??= this.deps.clock.setTimeout(() => this.publishNow(), TRAY_UPDATE_MS);
  }
}

function recentOf(v: MappingView): RecentMapping {
  return {
    id: v.id,
    label: `${v.protocol.toUpperCase()} ${v.externalPort} · ${v.owner.hostName ?? v.internalAddress}`,
  };
}

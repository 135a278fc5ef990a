/**
 * The live mappings monitor: one snapshot, then `listen` on /ip/firewall/nat (and the seed guide's
 * /ip/upnp/mappings where the router has it) — no polling loop for mapping changes. On a reconnect
 * (`onResumed`) it takes a fresh snapshot and reconciles: the receiver gets one reset delta, so
 * nothing is duplicated, nothing lost, and removed mappings are gone. Listen events that arrive while a
 * snapshot is being read are buffered and replayed after it, in order (each carries the full row, so
 * replaying an older event is corrected by the newer ones that follow it). The views and the rows
 * behind them are LiveViews (live-views.ts); a snapshot in progress is a SnapshotStage (stage.ts).
 */
import type {
  HistoryEvent,
  HistoryPoint,
  MappingsSettings,
  MappingView,
  MonitorStatus,
} from '../../shared/domains/mappings';
import type { RawRow, RouterPort } from '../core/router-port';
import type { MappingAlert } from './alert-rules';
import type { DeltaBatcher } from './batcher';
import type { MappingsClock } from './clock';
import { readEnrichment, type Enrichment } from './enrichment';
import { historyKey, type HistoryStore } from './history';
import { MappingLedger } from './ledger';
import { LiveViews, type Change } from './live-views';
import type { MappingFacts } from './model';
import type { OuiLoader } from './oui';
import { SnapshotStage } from './stage';
import { EnrichmentPace } from './pace';

export const NAT_MENU = '/ip/firewall/nat';
export const UPNP_MAPPINGS_MENU = '/ip/upnp/mappings';
/** What the snapshot reads of each rule (the bench's bare print reads the same). */
export const NAT_PROPS = [
  '.id',
  'chain',
  'action',
  'protocol',
  'dst-port',
  'in-interface',
  'to-addresses',
  'to-ports',
  'comment',
  'dynamic',
  'disabled',
  'bytes',
  'packets',
];

export interface MonitorDeps {
  router: RouterPort;
  clock: MappingsClock;
  history: HistoryStore;
  batcher: DeltaBatcher;
  vendors: OuiLoader;
  settings: () => MappingsSettings;
  onStatus: (status: MonitorStatus) => void;
  /** A new mapping that matters (alert-rules.ts), before grouping and rate limiting. */
  onNotice: (alert: MappingAlert) => void;
  log: (line: string) => void;
  /** Whether the mappings are on screen (WatchLease); absent = always (see pace.ts). */
  watched?: () => boolean;
}

export class MappingMonitor {
  /** The mappings as the receiver was told them, and the router rows behind them (live-views.ts). */
  private readonly live: LiveViews;
  private readonly pace: EnrichmentPace;
  private buffer: Change[] | null = [];
  private cancels: Array<() => Promise<void>> = [];
  private resyncing: Promise<void> | null = null;
  private resyncAgain = false;
  private stopped = false;
  private status: MonitorStatus = { phase: 'idle', message: null, count: 0 };
  /** The snapshot being read, if any. */
  private stage: SnapshotStage | null = null;
  /** First seen, traffic, new hosts and what a cleanup holds (ledger.ts). */
  private readonly ledger: MappingLedger;

  constructor(private readonly deps: MonitorDeps) {
    this.ledger = new MappingLedger(deps);
    this.live = new LiveViews({ ...deps, ledger: this.ledger, watched: () => this.pace.watched() });
    this.pace = new EnrichmentPace({
      ...deps,
      pass: () => (this.buffer || this.resyncing ? null : this.refreshEnrichment()),
    });
  }

  get router(): RouterPort {
    return this.deps.router;
  }

  async start(): Promise<void> {
    this.setStatus('loading', null);
    void this.deps.vendors.load().then(
      () => !this.stopped && this.live.recomputeAll(),
      (e: unknown) => this.deps.log(`OUI data: ${String(e)}`),
    );
    const resumed = () => void this.resync();
    const onNat = (row: RawRow) => this.onChange({ menu: 'nat', row });
    this.cancels.push(this.cancelOf(this.router.listen(NAT_MENU, onNat, { onResumed: resumed })));
    if (this.router.capabilities.menus.upnpMappings) {
      const onUpnp = (row: RawRow) => this.onChange({ menu: 'upnp', row });
      this.cancels.push(this.cancelOf(this.router.listen(UPNP_MAPPINGS_MENU, onUpnp, { onResumed: resumed })));
    }
    await this.load(true);
    this.pace.start();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.pace.stop();
    this.deps.batcher.clear();
    await Promise.all(this.cancels.map((c) => c().catch(() => {})));
    this.cancels = [];
    await this.deps.history.flush();
  }

  /** The mappings as the receiver was told them: while a first snapshot streams, the views staged so far. */
  list(): MappingView[] {
    if (this.stage?.streaming) return Array.from(this.stage.views.values(), (s) => s.view);
    return [...this.live.views.values()];
  }

  get(id: string): MappingView | undefined {
    return this.live.views.get(id);
  }

  /** The router facts behind a view (the WAN interface for "make permanent"). */
  facts(id: string): MappingFacts | null {
    return this.live.facts(id);
  }

  historyView(): { points: HistoryPoint[]; events: HistoryEvent[] } {
    return { points: this.deps.history.points(), events: this.deps.history.events().slice(-500) };
  }

  currentStatus(): MonitorStatus {
    return this.status;
  }

  /**
   * While a cleanup restarts UPnP and restores these mappings (history keys), they keep their
   * first-seen times and raise no notices: a restored mapping is the same mapping, not a new one
   * (issue 11, "Age that is true"). On release, a held mapping that did not come back is recorded gone.
   */
  hold(keys: string[]): { release(): void } {
    return this.ledger.hold(keys, () => new Set(this.list().map((v) => historyKey(v.id, v.internalAddress))));
  }

  /** Reconnect: fresh snapshot + reconcile; a second request while one runs runs once more after. */
  resync(): Promise<void> {
    if (this.resyncing) {
      this.resyncAgain = true;
      return this.resyncing;
    }
    this.buffer ??= [];
    this.setStatus('resyncing', null);
    this.resyncing = this.load(false).finally(() => {
      this.resyncing = null;
      if (this.resyncAgain && !this.stopped) {
        this.resyncAgain = false;
        void this.resync();
      }
    });
    return this.resyncing;
  }

  /** Re-reads owners, counters and connections now (the timer does it every few seconds). */
  async refreshEnrichment(): Promise<void> {
    const counters = this.pace.countersDue();
    const next = await readEnrichment(this.router, this.deps.clock.now(), { counters });
    this.live.absorbEnrichment(next);
    this.live.recomputeAll();
  }

  private cancelOf(handle: { cancel(): Promise<void> }): () => Promise<void> {
    return () => handle.cancel();
  }

  private async load(initial: boolean): Promise<void> {
    // A session's first snapshot: the receiver shows nothing yet, so it gets the views as they are built.
    const stage = new SnapshotStage(this.deps.batcher, initial && this.live.views.size === 0);
    this.stage = stage;
    try {
      // Issue 14: the NAT rules are parsed into a fresh index as they stream in, so decoding overlaps
      // the wire instead of starting after the last of 10,000 rows; it replaces the index at the end.
      // Their views are built as they come too, once owners and the seed menu's rows are in (stage.ts).
      // The small reads go out first, so their answers do not queue behind the NAT rows.
      const enrichment = readEnrichment(this.router, this.deps.clock.now(), { counters: false });
      const upnpRows = this.router.capabilities.menus.upnpMappings
        ? this.router.print(UPNP_MAPPINGS_MENU)
        : Promise.resolve([]);
      const nat = this.router.printEach(NAT_MENU, (row) => this.streamRule(stage, row), {
        query: ['?dynamic=true'],
        proplist: NAT_PROPS,
      });
      // Staging waits for the vendor table too (being read since start()): a view staged without it
      // would be built again at the swap.
      const vendors = this.deps.vendors.load().then(
        () => null,
        () => null,
      );
      void Promise.all([upnpRows, enrichment, vendors]).then(
        ([upnp, e]) => !this.stopped && this.beginStage(stage, upnp, e),
        () => {},
      );
      const [, upnp, enriched] = await Promise.all([nat, upnpRows, enrichment]);
      if (this.stopped) return;
      this.replaceAll(stage, upnp, enriched, initial);
      const pending = this.buffer ?? [];
      this.buffer = null;
      for (const change of pending) this.apply(change);
      this.setStatus('live', null);
    } catch (err) {
      // Rows may still be arriving: nothing more is staged, and the receiver gets the monitor's set back.
      stage.abandon(() => this.list());
      this.buffer = null;
      this.setStatus('error', `Could not read the mappings: ${err instanceof Error ? err.message : String(err)}`);
      throw err;
    }
  }

  private streamRule(stage: SnapshotStage, row: RawRow): void {
    if (this.stopped) return;
    const r = stage.next.putRule(row);
    if (r.facts) this.ledger.counted(row['.id'] ?? '', r.facts.counters, r.facts);
    if (!stage.begun || stage.closed || r.id === null) return;
    if (r.moved !== null) stage.drop(r.moved);
    this.live.connectionTraffic(stage.next.get(r.id));
    this.stageView(stage, r.id);
  }

  /**
   * Owners, subnets, connections and the seed menu's rows are known (usually long before the last NAT
   * row): what the snapshot holds so far gets its views now, each later row as it arrives. Runs once.
   */
  private beginStage(stage: SnapshotStage, upnp: RawRow[], enrichment: Enrichment): void {
    if (stage.begun || stage.closed) return;
    stage.begin();
    for (const row of upnp) stage.next.putUpnp(row);
    this.live.absorbEnrichment(enrichment, stage.next);
    for (const id of stage.next.ids()) this.stageView(stage, id);
  }

  private stageView(stage: SnapshotStage, id: string): void {
    stage.put(id, this.live.viewOf(id, stage.next));
  }

  private replaceAll(stage: SnapshotStage, upnp: RawRow[], enrichment: Enrichment, initial: boolean): void {
    const firstRun = this.deps.history.isEmpty;
    const live = this.live;
    const before = new Set(live.views.keys());
    this.beginStage(stage, upnp, enrichment);
    live.adopt(stage.next);
    // A view staged before the vendor table (or other owners) came is built again.
    const reused = live.fill(stage.views, (view) => {
      const fresh = !before.has(view.id) && !initial;
      this.ledger.appeared(view, fresh && !firstRun);
    });
    this.ledger.sweep((key) => live.present(key));
    this.deps.history.count(live.views.size);
    stage.settle(live.views, reused);
    // Now, before the status says live: rows that reach the renderer after that are news to it.
    this.deps.batcher.flush();
  }

  private onChange(change: Change): void {
    if (this.stopped) return;
    if (this.buffer) this.buffer.push(change);
    else this.apply(change);
  }

  private apply(change: Change): void {
    this.live.apply(change);
    this.status = { ...this.status, count: this.live.views.size };
  }

  /** Recomputes every view (owners, idle, stale may change with time) and emits what changed. */
  recomputeAll(): void {
    this.live.recomputeAll();
  }

  /** Somebody started watching: the next enrichment pass runs now instead of at the slow pace. */
  wake(): void {
    this.pace.wake();
  }

  private setStatus(phase: MonitorStatus['phase'], message: string | null): void {
    this.status = { phase, message, count: this.live.views.size };
    this.deps.onStatus(this.status);
  }
}

/**
 * The live mappings monitor: one snapshot, then `listen` on /ip/firewall/nat (and the seed guide's
 * /ip/upnp/mappings where the router has it) — no polling loop for mapping changes. On a reconnect
 * (`onResumed`) it takes a fresh snapshot and reconciles: the receiver gets one reset delta, so
 * nothing is duplicated, nothing lost, and removed mappings are gone. Listen events that arrive while a
 * snapshot is being read are buffered and replayed after it, in order (each carries the full row, so
 * replaying an older event is corrected by the newer ones that follow it).
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
import { connectionKey, emptyEnrichment, readEnrichment, type Enrichment } from './enrichment';
import { historyKey, type HistoryStore } from './history';
import { JoinIndex } from './join-index';
import { MappingLedger } from './ledger';
import type { MappingFacts } from './model';
import type { OuiLoader } from './oui';
import { SnapshotStage, type StagedView } from './stage';
import { buildView, merged, sameView, type Joined } from './view';
import { ViewMemoCache } from './view-memo';
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

type Change = { menu: 'nat' | 'upnp'; row: RawRow };

export class MappingMonitor {
  private index = new JoinIndex();
  private views = new Map<string, MappingView>();
  private enrichment: Enrichment;
  private memos = new ViewMemoCache();
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
    this.enrichment = emptyEnrichment(deps.clock.now());
    this.ledger = new MappingLedger(deps);
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
      () => !this.stopped && this.recomputeAll(),
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
    return [...this.views.values()];
  }

  get(id: string): MappingView | undefined {
    return this.views.get(id);
  }

  /** The router facts behind a view (the WAN interface for "make permanent"). */
  facts(id: string): MappingFacts | null {
    return merged(this.index.get(id));
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
    this.absorbEnrichment(next);
    this.recomputeAll();
  }

  private cancelOf(handle: { cancel(): Promise<void> }): () => Promise<void> {
    return () => handle.cancel();
  }

  private async load(initial: boolean): Promise<void> {
    // A session's first snapshot: the receiver shows nothing yet, so it gets the views as they are built.
    const stage = new SnapshotStage(this.deps.batcher, initial && this.views.size === 0);
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
    this.connectionTraffic(stage.next.get(r.id));
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
    this.absorbEnrichment(enrichment, stage.next);
    for (const id of stage.next.ids()) this.stageView(stage, id);
  }

  private stageView(stage: SnapshotStage, id: string): void {
    stage.put(id, this.viewOf(id, stage.next));
  }

  private replaceAll(stage: SnapshotStage, upnp: RawRow[], enrichment: Enrichment, initial: boolean): void {
    const firstRun = this.deps.history.isEmpty;
    const before = new Set(this.views.keys());
    this.beginStage(stage, upnp, enrichment);
    this.index = stage.next;
    this.views.clear();
    // A view staged before the vendor table (or other owners) came is built again.
    const memo = this.memos.current(this.enrichment, this.deps.vendors.ready());
    let reused = 0;
    for (const id of this.index.ids()) {
      const staged = stage.views.get(id);
      const view = staged?.memo === memo ? staged.view : this.compute(id);
      if (!view) continue;
      if (view === staged?.view) reused++;
      this.views.set(id, view);
      const fresh = !before.has(id) && !initial;
      this.ledger.appeared(view, fresh && !firstRun);
    }
    this.ledger.sweep((key) => this.present(key));
    this.deps.history.count(this.views.size);
    stage.settle(this.views, reused);
    // Now, before the status says live: rows that reach the renderer after that are news to it.
    this.deps.batcher.flush();
  }

  /**
   * Whether a history key (`<id>@<internal address>`, historyKey) is a mapping on screen now, read
   * from the views rather than from a set of 10,000 keys built per snapshot (issue 14). Ids never
   * hold an `@` (`<protocol>/<port>`).
   */
  private present(key: string): boolean {
    const at = key.indexOf('@');
    if (at < 0) return false;
    const address = this.views.get(key.slice(0, at))?.internalAddress;
    return address !== undefined && key.length === at + 1 + address.length && key.endsWith(address);
  }

  private onChange(change: Change): void {
    if (this.stopped) return;
    if (this.buffer) this.buffer.push(change);
    else this.apply(change);
  }

  private apply({ menu, row }: Change): void {
    const r = menu === 'nat' ? this.putRule(row) : { id: this.putUpnp(row), countersOnly: false };
    const id = r.id;
    if (id === null) return;
    // Only the counters moved and nobody watches: the traffic time is recorded (putRule), the view
    // waits for the next enrichment pass, which recomputes every view (issue 14: the demo's traffic
    // pushes such rows every second, and a screen nobody sees needs no delta for each).
    if (r.countersOnly && !this.pace.watched()) return;
    const before = this.views.get(id);
    const view = this.compute(id);
    if (!view) {
      if (before) {
        this.deps.batcher.removed(id);
        this.ledger.gone(before);
      }
    } else if (!before) {
      this.deps.batcher.added(view);
      this.ledger.appeared(view, true);
    } else if (!sameView(before, view)) {
      this.deps.batcher.updated(view);
    }
    if (!before !== !view) this.deps.history.count(this.views.size);
    this.status = { ...this.status, count: this.views.size };
  }

  /** Returns the mapping id the row touched, or null. */
  private putRule(row: RawRow): { id: string | null; countersOnly: boolean } {
    const r = this.index.putRule(row);
    if (r.moved) this.reconcileMoved(r.moved);
    if (r.facts) this.ledger.counted(row['.id'] ?? '', r.facts.counters, r.facts);
    return r;
  }

  private putUpnp(row: RawRow): string | null {
    const r = this.index.putUpnp(row);
    if (r.moved) this.reconcileMoved(r.moved);
    return r.id;
  }

  /** A rule whose port changed leaves its old id: that id's view goes now. */
  private reconcileMoved(oldId: string): void {
    const before = this.views.get(oldId);
    if (before && !this.compute(oldId)) this.deps.batcher.removed(oldId);
  }

  private compute(id: string): MappingView | null {
    const built = this.viewOf(id, this.index);
    if (!built) {
      this.views.delete(id);
      return null;
    }
    this.views.set(id, built.view);
    return built.view;
  }

  /** The view of `id` in `index` with the current owners and vendors, and the memo it was built with. */
  private viewOf(id: string, index: JoinIndex): StagedView | null {
    const facts = merged(index.get(id));
    if (!facts) return null;
    const { firstSeenAt, lastTrafficAt } = this.ledger.times(id, facts);
    const vendor = this.deps.vendors.ready();
    const memo = this.memos.current(this.enrichment, vendor);
    const view = buildView(facts, firstSeenAt, lastTrafficAt, {
      enrichment: this.enrichment,
      vendor,
      settings: this.deps.settings(),
      now: this.deps.clock.now(),
      memo,
    });
    return { view, memo };
  }

  private absorbEnrichment(next: Enrichment, index = this.index): void {
    this.enrichment = next;
    for (const [ruleId, counters] of next.counters) this.ledger.counted(ruleId, counters, index.ruleFacts(ruleId));
    for (const j of index.entries()) this.connectionTraffic(j);
  }

  /** A tracked connection to the mapping's internal address and port is traffic. */
  private connectionTraffic(j: Joined): void {
    const f = j.rule ?? j.upnp;
    if (f && this.enrichment.connections.has(connectionKey(f.protocol, f.internalAddress, f.internalPort))) {
      this.ledger.traffic(f.id, f.internalAddress);
    }
  }

  /** Recomputes every view (owners, idle, stale may change with time) and emits what changed. */
  recomputeAll(): void {
    for (const id of this.index.ids()) {
      const before = this.views.get(id);
      const view = this.compute(id);
      if (view && before && !sameView(before, view)) this.deps.batcher.updated(view);
    }
  }

  /** Somebody started watching: the next enrichment pass runs now instead of at the slow pace. */
  wake(): void {
    this.pace.wake();
  }

  private setStatus(phase: MonitorStatus['phase'], message: string | null): void {
    this.status = { phase, message, count: this.views.size };
    this.deps.onStatus(this.status);
  }
}

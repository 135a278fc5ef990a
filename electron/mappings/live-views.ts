/**
 * The monitor's live set: the router rows joined per mapping (JoinIndex), the owners, subnets and
 * connections last read (Enrichment), and the view built from them for each mapping. A listen event
 * (`apply`) or a recompute changes a view and tells the batcher what the receiver must hear; the
 * ledger hears what that means for history and alerts. The monitor (monitor.ts) decides when: the
 * snapshot, listen, resync and the enrichment pace.
 */
import type { MappingsSettings, MappingView } from '../../shared/domains/mappings';
import type { RawRow } from '../core/router-port';
import type { DeltaBatcher } from './batcher';
import type { MappingsClock } from './clock';
import { connectionKey, emptyEnrichment, type Enrichment } from './enrichment';
import type { HistoryStore } from './history';
import { JoinIndex } from './join-index';
import type { MappingLedger } from './ledger';
import type { MappingFacts } from './model';
import type { OuiLoader } from './oui';
import type { StagedView } from './stage';
import { buildView, merged, sameView, type Joined } from './view';
import { ViewMemoCache } from './view-memo';

export interface LiveViewsDeps {
  clock: MappingsClock;
  history: HistoryStore;
  batcher: DeltaBatcher;
  vendors: OuiLoader;
  settings: () => MappingsSettings;
  ledger: MappingLedger;
  /**
   * Whether the mappings are on screen. Nobody watching: a row whose counters alone moved waits for the
   * next enrichment pass (issue 14: the demo's traffic pushes such rows every second, and a screen
   * nobody sees needs no delta for each).
   */
  watched: () => boolean;
}

/** A changed row from listen: a NAT rule, or a row of the seed guide's /ip/upnp/mappings. */
export type Change = { menu: 'nat' | 'upnp'; row: RawRow };

export class LiveViews {
  /** Replaced whole by a snapshot (adopt), changed row by row by listen events (apply). */
  private rows = new JoinIndex();
  private readonly byId = new Map<string, MappingView>();
  private enrichment: Enrichment;
  private readonly memos = new ViewMemoCache();

  constructor(private readonly deps: LiveViewsDeps) {
    this.enrichment = emptyEnrichment(deps.clock.now());
  }

  /** The view of every mapping, by id. */
  get views(): ReadonlyMap<string, MappingView> {
    return this.byId;
  }

  /** A snapshot's index replaces the live one; no view of the old one is kept (fill() sets them). */
  adopt(index: JoinIndex): void {
    this.rows = index;
    this.byId.clear();
  }

  /**
   * After adopt(): every mapping's view, the staged one when it was built with the current owners and
   * vendor table, else built again; `each` hears every view. Returns how many staged views were kept.
   */
  fill(staged: ReadonlyMap<string, StagedView>, each: (view: MappingView) => void): number {
    const memo = this.memos.current(this.enrichment, this.deps.vendors.ready());
    let reused = 0;
    for (const id of this.rows.ids()) {
      const kept = staged.get(id);
      const view = kept?.memo === memo ? kept.view : this.compute(id);
      if (!view) continue;
      if (view === kept?.view) reused++;
      this.byId.set(id, view);
      each(view);
    }
    return reused;
  }

  /** The router facts behind a view. */
  facts(id: string): MappingFacts | null {
    return merged(this.rows.get(id));
  }

  /** A listen event: the view it touched is built again and the receiver hears what changed. */
  apply({ menu, row }: Change): void {
    const r = menu === 'nat' ? this.putRule(row) : { id: this.putUpnp(row), countersOnly: false };
    const id = r.id;
    if (id === null) return;
    if (r.countersOnly && !this.deps.watched()) return;
    const before = this.byId.get(id);
    const view = this.compute(id);
    if (!view) {
      if (before) {
        this.deps.batcher.removed(id);
        this.deps.ledger.gone(before);
      }
    } else if (!before) {
      this.deps.batcher.added(view);
      this.deps.ledger.appeared(view, true);
    } else if (!sameView(before, view)) {
      this.deps.batcher.updated(view);
    }
    if (!before !== !view) this.deps.history.count(this.byId.size);
  }

  /** Builds `id`'s view again with the current owners and vendors; null (and dropped) when it is gone. */
  compute(id: string): MappingView | null {
    const built = this.viewOf(id, this.rows);
    if (!built) {
      this.byId.delete(id);
      return null;
    }
    this.byId.set(id, built.view);
    return built.view;
  }

  /** The view of `id` in `index` with the current owners and vendors, and the memo it was built with. */
  viewOf(id: string, index: JoinIndex): StagedView | null {
    const facts = merged(index.get(id));
    if (!facts) return null;
    const { firstSeenAt, lastTrafficAt } = this.deps.ledger.times(id, facts);
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

  /** Recomputes every view (owners, idle, stale may change with time) and emits what changed. */
  recomputeAll(): void {
    for (const id of this.rows.ids()) {
      const before = this.byId.get(id);
      const view = this.compute(id);
      if (view && before && !sameView(before, view)) this.deps.batcher.updated(view);
    }
  }

  /** New owners, subnets, connections and counters; `index` is the one they belong to (a snapshot's). */
  absorbEnrichment(next: Enrichment, index = this.rows): void {
    this.enrichment = next;
    const ledger = this.deps.ledger;
    for (const [ruleId, counters] of next.counters) ledger.counted(ruleId, counters, index.ruleFacts(ruleId));
    for (const j of index.entries()) this.connectionTraffic(j);
  }

  /** A tracked connection to the mapping's internal address and port is traffic. */
  connectionTraffic(j: Joined): void {
    const f = j.rule ?? j.upnp;
    if (f && this.enrichment.connections.has(connectionKey(f.protocol, f.internalAddress, f.internalPort))) {
      this.deps.ledger.traffic(f.id, f.internalAddress);
    }
  }

  /**
   * Whether a history key (`<id>@<internal address>`, historyKey) is a mapping on screen now, read
   * from the views rather than from a set of 10,000 keys built per snapshot (issue 14). Ids never
   * hold an `@` (`<protocol>/<port>`).
   */
  present(key: string): boolean {
    const at = key.indexOf('@');
    if (at < 0) return false;
    const address = this.byId.get(key.slice(0, at))?.internalAddress;
    return address !== undefined && key.length === at + 1 + address.length && key.endsWith(address);
  }

  private putRule(row: RawRow): { id: string | null; countersOnly: boolean } {
    const r = this.rows.putRule(row);
    if (r.moved) this.reconcileMoved(r.moved);
    if (r.facts) this.deps.ledger.counted(row['.id'] ?? '', r.facts.counters, r.facts);
    return r;
  }

  private putUpnp(row: RawRow): string | null {
    const r = this.rows.putUpnp(row);
    if (r.moved) this.reconcileMoved(r.moved);
    return r.id;
  }

  /** A rule whose port changed leaves its old id: that id's view goes now. */
  private reconcileMoved(oldId: string): void {
    const before = this.byId.get(oldId);
    if (before && !this.compute(oldId)) this.deps.batcher.removed(oldId);
  }
}

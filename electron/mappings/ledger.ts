/**
 * What the live monitor records about mappings over time, apart from the views themselves: when each
 * was first seen and last carried traffic (the history store), which hosts are new (alerts), and which
 * mappings a cleanup is restoring right now (held: same mapping, same age, no notice — issue 11, "Age
 * that is true"). The monitor decides *that* a mapping came, went or moved traffic; the ledger decides
 * what that means for history and alerts.
 */
import type { MappingsSettings, MappingView } from '../../shared/domains/mappings';
import { alertFor, type MappingAlert } from './alert-rules';
import type { MappingsClock } from './clock';
import { historyKey, type HistoryStore } from './history';
import type { MappingFacts } from './model';
import type { OuiLoader } from './oui';

export interface LedgerDeps {
  clock: MappingsClock;
  history: HistoryStore;
  vendors: OuiLoader;
  settings: () => MappingsSettings;
  onNotice: (alert: MappingAlert) => void;
}

/** A history key's parts back (`<protocol>/<port>@<internal address>`; ids never hold an `@`). */
const partsOf = (key: string) => {
  const [id = '', internalAddress = ''] = key.split('@');
  return { id, internalAddress, description: '' };
};

export class MappingLedger {
  /** History keys a cleanup is restoring (hold()). */
  private held = new Set<string>();
  /** Each NAT rule's last `bytes/packets`: a change is traffic. */
  private counters = new Map<string, string>();

  constructor(private readonly deps: LedgerDeps) {}

  /**
   * While a cleanup restarts UPnP and restores these mappings, they keep their first-seen times and
   * raise no notices. On release, a held mapping that is not `present` is recorded gone.
   */
  hold(keys: string[], present: () => Set<string>): { release(): void } {
    for (const k of keys) this.held.add(k);
    return {
      release: () => {
        const now = present();
        for (const key of keys) {
          this.held.delete(key);
          if (!now.has(key)) this.deps.history.removed(key, partsOf(key));
        }
      },
    };
  }

  /** When the mapping was first seen (now, for one never seen before) and when it last had traffic. */
  times(id: string, facts: MappingFacts): { firstSeenAt: number; lastTrafficAt: number | null } {
    const key = historyKey(id, facts.internalAddress);
    const history = this.deps.history;
    const firstSeenAt = history.seen(key, id, facts.internalAddress, facts.description);
    return { firstSeenAt, lastTrafficAt: history.lastTraffic(key) };
  }

  /** A mapping appeared; `live` when it is news (not the first snapshot, not a restore). */
  appeared(view: MappingView, live: boolean): void {
    const held = this.held.size > 0 && this.held.has(historyKey(view.id, view.internalAddress));
    const isNew = this.deps.history.rememberHost(view.owner.mac ?? view.internalAddress);
    if (!live || held) return;
    const facts = { newHost: isNew, vendorsLoaded: this.deps.vendors.ready() !== null };
    const alert = alertFor(view, facts, this.deps.settings());
    if (alert) this.deps.onNotice(alert);
  }

  /** A mapping left the router (unless a cleanup is restoring it). */
  gone(view: MappingView): void {
    const key = historyKey(view.id, view.internalAddress);
    if (this.held.has(key)) return;
    this.deps.history.removed(key, {
      id: view.id,
      internalAddress: view.internalAddress,
      description: view.description,
    });
  }

  /** After a snapshot: every tracked mapping that is not `present` (nor held) was last seen before it. */
  sweep(present: (key: string) => boolean): void {
    for (const key of this.deps.history.trackedKeys()) {
      if (present(key) || this.held.has(key)) continue;
      this.deps.history.removed(key, partsOf(key), 'last-seen');
    }
  }

  /** A rule's counters as read now; `facts` is the mapping it belongs to (none: only remembered). */
  counted(
    ruleId: string,
    counters: string,
    facts: Pick<MappingFacts, 'id' | 'internalAddress'> | null | undefined,
  ): void {
    const prev = this.counters.get(ruleId);
    this.counters.set(ruleId, counters);
    if (facts && prev !== undefined && prev !== counters) this.traffic(facts.id, facts.internalAddress);
  }

  traffic(id: string, internalAddress: string): void {
    this.deps.history.traffic(historyKey(id, internalAddress), this.deps.clock.now());
  }
}

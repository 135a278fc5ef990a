/**
 * What happened to each mapping of a cleanup, and the summary people read: grouped by outcome and
 * reason with counts (issue 11: 2,104 identical lines said nothing a count does not say better).
 * Reasons are therefore general ("the router refused …"); the mapping's own facts sit beside them.
 */
import type {
  CleanupStrategy,
  KeptOutcome,
  OutcomeGroup,
  OutcomeKind,
  TargetOutcome,
} from '../../shared/domains/mappings';
import type { Entry } from './cleanup-target';
export { REASONS } from './cleanup-reasons';

/** The facts of a mapping that every outcome repeats. */
const base = (e: Pick<Entry, 'id' | 'internalAddress' | 'hostName' | 'description'>) => ({
  id: e.id,
  internalAddress: e.internalAddress,
  hostName: e.hostName,
  description: e.description,
});

/** An outcome before the summary numbers the groups. */
type Open<T> = Omit<T, 'group'> & { reason: string };

export class Outcomes {
  readonly targets = new Map<string, Open<TargetOutcome>>();
  readonly kept: Array<Open<KeptOutcome>> = [];
  /** The most disruptive strategy that removed something. */
  used: CleanupStrategy | null = null;

  removed(e: Entry, how: CleanupStrategy, reason: string): void {
    this.targets.set(e.id, { ...base(e), result: 'removed', how, reason });
    const rank = (s: CleanupStrategy | null) => (s === null ? -1 : ORDER.indexOf(s));
    if (rank(how) > rank(this.used)) this.used = how;
  }

  skipped(e: Entry, reason: string): void {
    this.targets.set(e.id, { ...base(e), result: 'skipped', how: null, reason });
  }

  failed(e: Entry, reason: string): void {
    this.targets.set(e.id, { ...base(e), result: 'failed', how: null, reason });
  }

  keep(
    v: Pick<Entry, 'id' | 'internalAddress' | 'hostName' | 'description'>,
    result: KeptOutcome['result'],
    reason: string,
  ): void {
    this.kept.push({ ...base(v), result, reason });
  }

  /** The entries nothing has been decided for yet. */
  open<T extends Entry>(entries: T[]): T[] {
    return entries.filter((e) => !this.targets.has(e.id));
  }

  count(result: OutcomeKind): number {
    let n = 0;
    for (const o of this.targets.values()) if (o.result === result) n++;
    for (const o of this.kept) if (o.result === result) n++;
    return n;
  }

  /** The summary's lists, in `order` for the targets, with their groups numbered. */
  summarize(order: string[]): { targets: TargetOutcome[]; kept: KeptOutcome[]; groups: OutcomeGroup[] } {
    const targets = order.flatMap((id) => this.targets.get(id) ?? []);
    const groups = new Map<string, OutcomeGroup>();
    const keyOf = (o: { result: OutcomeKind; reason: string }) => `${o.result}\u0000${o.reason}`;
    for (const o of [...targets, ...this.kept]) {
      const g = groups.get(keyOf(o));
      if (g) {
        g.count++;
        g.ids.push(o.id);
      } else {
        const action = o.result === 'not-restored' ? GROUP_ACTION : null;
        groups.set(keyOf(o), { outcome: o.result, reason: o.reason, count: 1, ids: [o.id], action });
      }
    }
    const sorted = [...groups.values()].sort((a, b) => b.count - a.count || a.outcome.localeCompare(b.outcome));
    const index = new Map(sorted.map((g, i) => [keyOf({ result: g.outcome, reason: g.reason }), i]));
    const numbered = <T extends { result: OutcomeKind; reason: string }>({ reason: _r, ...o }: T) => ({
      ...o,
      group: index.get(keyOf({ result: o.result, reason: _r })) ?? -1,
    });
    return {
      targets: targets.map(numbered) as TargetOutcome[],
      kept: this.kept.map(numbered) as KeptOutcome[],
      groups: sorted,
    };
  }
}

const ORDER: readonly CleanupStrategy[] = ['api-remove', 'igd-delete', 'flush-and-restore'];

/** What the owners of mappings that were not restored must do (for a group; each mapping names its device). */
export const GROUP_ACTION =
  'Each device gets its mapping back when it asks for it again: restart the app or game, or run the console’s network test.';

export const ownerAction = (who: string): string =>
  `${who} gets its mapping back when it asks for it again: restart the app or game on it, or run the console’s network test.`;

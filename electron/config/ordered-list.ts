/**
 * Turns an ordered RouterOS list (UPnP permissions, PortPilot's block of filter rules) into a target
 * order: (1) remove managed rows the target lacks, (2) move the rows that stay into target order,
 * walking backwards so each `move destination` is a row already in place, (3) fix comments, (4) add the
 * missing rows in target order, each `place-before` the next row that already exists (or the anchor),
 * so additions in front of the same row end up in the order they were added.
 */
import type { RawRow } from '../core/router-port';
import { step } from '../plans';
import { norm } from '../plans/rows';
import type { Step } from '../plans/types';

export interface OrderedListSpec {
  menu: string;
  /** Current static rows of the menu, in router order. */
  current: RawRow[];
  /** Rows this list owns (others are left alone and only serve as neighbours). */
  managed: (row: RawRow) => boolean;
  /** Identity of an entry: fields that make two rows "the same rule" (comment excluded). */
  keyFields: readonly string[];
  target: Array<Record<string, string>>;
  /** Row to keep the whole block in front of (e.g. the first forward rule); null = end of the list. */
  anchorId: string | null;
  idPrefix: string;
  describe: (attrs: Record<string, string>) => string;
}

export function orderedListSteps(spec: OrderedListSpec): Step[] {
  const keyOf = (attrs: Record<string, string>): string => spec.keyFields.map((f) => norm(attrs[f])).join('|');
  const menu = spec.menu;
  const steps: Step[] = [];
  const sim = [...spec.current];
  // Each target entry claims one existing managed row with its key (first come, first served).
  const claimed = spec.target.map(() => null as RawRow | null);
  const free = new Set(sim.filter(spec.managed));
  spec.target.forEach((t, i) => {
    const row = [...free].find((r) => keyOf(r) === keyOf(t));
    if (row) {
      claimed[i] = row;
      free.delete(row);
    }
  });
  for (const row of free) {
    steps.push(
      step({
        id: `${spec.idPrefix}-remove`,
        description: `Remove ${spec.describe(row)}`,
        op: { verb: 'remove', menu, find: { id: row['.id'] ?? '' } },
      }),
    );
    sim.splice(sim.indexOf(row), 1);
  }
  const kept = claimed.filter((r): r is RawRow => r !== null);
  for (let i = kept.length - 2; i >= 0; i--) {
    const row = kept[i] as RawRow;
    const next = kept[i + 1] as RawRow;
    if (sim[sim.indexOf(next) - 1] === row) continue;
    sim.splice(sim.indexOf(row), 1);
    sim.splice(sim.indexOf(next), 0, row);
    steps.push(
      step({
        id: `${spec.idPrefix}-move`,
        description: `Move ${spec.describe(row)} right before ${spec.describe(next)}`,
        op: { verb: 'move', menu, find: { id: row['.id'] ?? '' }, before: { id: next['.id'] ?? '' } },
      }),
    );
  }
  spec.target.forEach((t, i) => {
    const row = claimed[i];
    if (row && t['comment'] !== undefined && t['comment'] !== (row['comment'] ?? '')) {
      steps.push(
        step({
          id: `${spec.idPrefix}-comment`,
          description: `Set the comment of ${spec.describe(t)}`,
          op: { verb: 'set', menu, find: { id: row['.id'] ?? '' }, attrs: { comment: t['comment'] } },
        }),
      );
    }
  });
  spec.target.forEach((t, i) => {
    if (claimed[i]) return;
    const nextExisting = claimed.slice(i + 1).find((r) => r !== null);
    const before = nextExisting?.['.id'] ?? spec.anchorId;
    steps.push(
      step({
        id: `${spec.idPrefix}-add`,
        description: `Add ${spec.describe(t)}`,
        op: { verb: 'add', menu, attrs: t, ...(before ? { before: { id: before } } : {}) },
      }),
    );
  });
  return steps;
}

/**
 * Which router rows make up each mapping: the dynamic NAT rule, and on the seed guide's routers its
 * /ip/upnp/mappings row, joined by `<protocol>/<external port>`. A row whose port changed moves to
 * another id; a `.dead` row leaves its id.
 */
import type { RawRow } from '../core/router-port';
import { factsFromRule, factsFromUpnpMapping, type MappingFacts } from './model';
import type { Joined } from './view';

export interface PutResult {
  /** The mapping id the row touched, or null (not a mapping). */
  id: string | null;
  /** The id the row left because its port/protocol changed. */
  moved: string | null;
  facts: MappingFacts | null;
  /** The row was already here as the same mapping in the same state: at most its counters moved. */
  countersOnly: boolean;
}

export class JoinIndex {
  private joined = new Map<string, Joined>();
  private byRow = { rule: new Map<string, string>(), upnp: new Map<string, string>() };

  clear(): void {
    this.joined.clear();
    this.byRow.rule.clear();
    this.byRow.upnp.clear();
  }

  ids(): IterableIterator<string> {
    return this.joined.keys();
  }

  entries(): IterableIterator<Joined> {
    return this.joined.values();
  }

  get(id: string): Joined {
    return this.joined.get(id) ?? {};
  }

  ruleFacts(ruleId: string): MappingFacts | undefined {
    const id = this.byRow.rule.get(ruleId);
    return id === undefined ? undefined : this.joined.get(id)?.rule;
  }

  putRule(row: RawRow): PutResult {
    return this.put('rule', row, factsFromRule);
  }

  putUpnp(row: RawRow): PutResult {
    return this.put('upnp', row, factsFromUpnpMapping);
  }

  private put(part: keyof Joined, row: RawRow, parse: (row: RawRow) => MappingFacts | null): PutResult {
    const rowId = row['.id'] ?? '';
    const index = this.byRow[part];
    const oldId = index.get(rowId) ?? null;
    const facts = row['.dead'] === 'true' ? null : parse(row);
    let moved: string | null = null;
    if (oldId !== null && (!facts || facts.id !== oldId)) {
      this.detach(oldId, part);
      index.delete(rowId);
      if (!facts) return { id: oldId, moved: null, facts: null, countersOnly: false };
      moved = oldId;
    }
    if (!facts) return { id: null, moved: null, facts: null, countersOnly: false };
    index.set(rowId, facts.id);
    // In place (detach mutates too): a spread with a computed key per row was a slow V8 path and
    // showed in the 10,000-row snapshot.
    const joined = this.joined.get(facts.id);
    const before = joined?.[part];
    if (joined) joined[part] = facts;
    else this.joined.set(facts.id, part === 'rule' ? { rule: facts } : { upnp: facts });
    return { id: facts.id, moved, facts, countersOnly: !!before && sameButCounters(before, facts) };
  }

  private detach(id: string, part: keyof Joined): void {
    const j = this.joined.get(id);
    if (!j) return;
    delete j[part];
    if (!j.rule && !j.upnp) this.joined.delete(id);
  }
}

/** The same row as the same mapping in the same state; at most its counters differ. */
function sameButCounters(a: MappingFacts, b: MappingFacts): boolean {
  return (
    a.ruleId === b.ruleId &&
    a.upnpMappingId === b.upnpMappingId &&
    a.enabled === b.enabled &&
    a.internalAddress === b.internalAddress &&
    a.internalPort === b.internalPort &&
    a.description === b.description &&
    a.source === b.source &&
    a.inInterface === b.inInterface
  );
}

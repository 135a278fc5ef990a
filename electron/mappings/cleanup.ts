/**
 * One-click cleanup: preview (the stale mappings with reasons) → the user's ticked ids → removal with
 * progress → summary. Safety lives here, not in the UI: an id that was not in the preview is refused,
 * an unticked one is never touched, and each mapping is re-read right before removal — it must still
 * be the same dynamic rule (a static rule is never removed) and must not have become active again.
 * Removals run pipelined (several tagged commands in flight on one API session).
 */
import type {
  CleanupOutcome,
  CleanupPreview,
  CleanupProgress,
  CleanupSummary,
  MappingView,
  StaleReason,
} from '../../shared/domains/mappings';
import { ContractError } from '../../shared/contract/result';
import type { RawRow, RouterPort } from '../core/router-port';
import type { MappingsClock } from './clock';
import { connectionKey } from './enrichment';
import { factsFromRule } from './model';
import { NAT_MENU, UPNP_MAPPINGS_MENU } from './monitor';
import { removeTarget, type IgdDelete, type Target } from './strategies';

const PREVIEW_TTL_MS = 15 * 60_000;
const MAX_PREVIEWS = 4;
const PRESENCE_TTL_MS = 1000;

interface PreviewEntry extends Target {
  reasons: StaleReason[];
}

export interface CleanupDeps {
  clock: MappingsClock;
  igdDelete?: IgdDelete;
  onProgress: (p: CleanupProgress) => void;
  /** In-flight commands; 1 = sequential (the bench compares both). */
  concurrency?: number;
  newId?: () => string;
}

export const targetOf = (v: MappingView): Target => ({
  id: v.id,
  protocol: v.protocol,
  externalPort: v.externalPort,
  internalAddress: v.internalAddress,
  internalPort: v.internalPort,
  source: v.source,
  ruleIds: [...v.ruleIds],
  upnpMappingId: v.upnpMappingId,
});

export class Cleanup {
  private previews = new Map<string, { createdAt: number; entries: Map<string, PreviewEntry> }>();
  private running = false;
  private seq = 0;

  constructor(private readonly deps: CleanupDeps) {}

  preview(views: MappingView[]): CleanupPreview {
    const now = this.deps.clock.now();
    const stale = views.filter((v) => v.status === 'stale' && v.ruleIds.length + (v.upnpMappingId ? 1 : 0) > 0);
    const previewId = this.deps.newId?.() ?? `p${now.toString(36)}-${++this.seq}`;
    const entries = new Map(stale.map((v) => [v.id, { ...targetOf(v), reasons: v.staleReasons }]));
    this.previews.set(previewId, { createdAt: now, entries });
    for (const [id, p] of this.previews) {
      if (now - p.createdAt > PREVIEW_TTL_MS || this.previews.size > MAX_PREVIEWS) this.previews.delete(id);
    }
    return { previewId, createdAt: now, candidates: stale.map((v) => ({ mapping: v, reasons: v.staleReasons })) };
  }

  async run(router: RouterPort, previewId: string, ids: string[]): Promise<CleanupSummary> {
    const preview = this.previews.get(previewId);
    if (!preview || this.deps.clock.now() - preview.createdAt > PREVIEW_TTL_MS) {
      throw new ContractError('preview-expired', 'That cleanup preview is too old: open the preview again.');
    }
    const foreign = ids.filter((id) => !preview.entries.has(id));
    if (foreign.length > 0) {
      throw new ContractError(
        'not-in-preview',
        `Not in the preview, so not removed: ${foreign.slice(0, 5).join(', ')}`,
        { ids: foreign },
      );
    }
    if (this.running) throw new ContractError('busy', 'A cleanup is already running.');
    this.running = true;
    this.previews.delete(previewId);
    try {
      const selected = [...new Set(ids)].map((id) => preview.entries.get(id)).filter((e): e is PreviewEntry => !!e);
      return await this.execute(router, selected, true);
    } finally {
      this.running = false;
    }
  }

  /** Row action "remove": the user asked for this one mapping, so activity does not stop it. */
  async removeOne(router: RouterPort, view: MappingView): Promise<CleanupOutcome> {
    const summary = await this.execute(router, [{ ...targetOf(view), reasons: [] }], false);
    const outcome = summary.outcomes[0];
    if (!outcome) throw new Error('no outcome');
    return outcome;
  }

  private async execute(router: RouterPort, entries: PreviewEntry[], checkActivity: boolean): Promise<CleanupSummary> {
    const started = this.deps.clock.now();
    const runId = `r${started.toString(36)}-${++this.seq}`;
    const outcomes: CleanupOutcome[] = [];
    const presence = new PresenceCache(router, this.deps.clock);
    let lastEmit = -Infinity;
    const report = (last: CleanupOutcome | null) => {
      const now = this.deps.clock.now();
      if (last && outcomes.length < entries.length && now - lastEmit < 16) return;
      lastEmit = now;
      this.deps.onProgress({ runId, done: outcomes.length, total: entries.length, last });
    };
    report(null);
    let next = 0;
    const worker = async () => {
      while (next < entries.length) {
        const entry = entries[next++];
        if (!entry) break;
        const outcome = await this.one(router, entry, checkActivity, presence);
        outcomes.push(outcome);
        report(outcome);
      }
    };
    const lanes = Math.max(1, Math.min(this.deps.concurrency ?? 32, entries.length));
    await Promise.all(Array.from({ length: lanes }, worker));
    const count = (r: CleanupOutcome['result']) => outcomes.filter((o) => o.result === r).length;
    const restartable = new Set<'upnp' | 'nat-pmp'>();
    for (const o of outcomes)
      if (o.result === 'failed' && o.restartWouldRemove) restartable.add(sourceOf(entries, o.id));
    return {
      runId,
      removed: count('removed'),
      skipped: count('skipped'),
      failed: count('failed'),
      outcomes,
      restartable: [...restartable],
      durationMs: this.deps.clock.now() - started,
    };
  }

  private async one(
    router: RouterPort,
    e: PreviewEntry,
    checkActivity: boolean,
    presence: PresenceCache,
  ): Promise<CleanupOutcome> {
    try {
      const check = await recheck(router, e);
      if (check.skip) return { id: e.id, result: 'skipped', reason: check.skip };
      if (checkActivity) {
        const active = await presence.activeReason(e, check.row);
        if (active) return { id: e.id, result: 'skipped', reason: active };
      }
      const result = await removeTarget(router, e, this.deps.igdDelete);
      if (result.ok && result.strategy)
        return { id: e.id, result: 'removed', strategy: result.strategy, attempts: result.attempts };
      const last = result.attempts[result.attempts.length - 1];
      return {
        id: e.id,
        result: 'failed',
        reason: last ? `${last.strategy}: ${last.detail}` : 'no removal method applies',
        attempts: result.attempts,
        restartWouldRemove: e.source !== 'unknown',
      };
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      return { id: e.id, result: 'failed', reason, attempts: [], restartWouldRemove: false };
    }
  }
}

const sourceOf = (entries: PreviewEntry[], id: string): 'upnp' | 'nat-pmp' =>
  entries.find((e) => e.id === id)?.source === 'nat-pmp' ? 'nat-pmp' : 'upnp';

/** Right before removal: the same dynamic rule must still be there (same port, same internal host). */
async function recheck(router: RouterPort, e: PreviewEntry): Promise<{ skip: string | null; row: RawRow | null }> {
  let row: RawRow | null = null;
  for (const ruleId of e.ruleIds) {
    const [found] = await router.print(NAT_MENU, { query: [`?.id=${ruleId}`] });
    if (!found) return { skip: 'already gone', row: null };
    if (found['dynamic'] !== 'true') return { skip: 'the rule is not dynamic: never removed', row: null };
    const facts = factsFromRule(found);
    if (!facts || facts.id !== e.id || facts.internalAddress !== e.internalAddress) {
      return { skip: 'the rule changed since the preview', row: null };
    }
    row = found;
  }
  if (e.ruleIds.length === 0 && e.upnpMappingId) {
    const [found] = await router.print(UPNP_MAPPINGS_MENU, { query: [`?.id=${e.upnpMappingId}`] });
    if (!found) return { skip: 'already gone', row: null };
  }
  return { skip: null, row };
}

/** Owners and connections read at most once a second during a run (many mappings share an owner). */
class PresenceCache {
  private owners = new Map<string, { at: number; present: Promise<boolean> }>();

  constructor(
    private readonly router: RouterPort,
    private readonly clock: MappingsClock,
  ) {}

  async activeReason(e: PreviewEntry, row: RawRow | null): Promise<string | null> {
    const ownerGone = e.reasons.some((r) => r.code === 'owner-gone');
    if (ownerGone && (await this.present(e.internalAddress))) return 'active again: the owner is back on the network';
    const conns = await this.router.print('/ip/firewall/connection', {
      query: [`?reply-src-address=${e.internalAddress}:${e.internalPort}`],
      proplist: ['protocol', 'reply-src-address'],
    });
    if (
      conns.some(
        (c) =>
          connectionKey(c['protocol'] ?? '', e.internalAddress, e.internalPort) ===
          connectionKey(e.protocol, e.internalAddress, e.internalPort),
      )
    ) {
      return 'active again: a connection is using it';
    }
    void row;
    return null;
  }

  private present(address: string): Promise<boolean> {
    const now = this.clock.now();
    const cached = this.owners.get(address);
    if (cached && now - cached.at < PRESENCE_TTL_MS) return cached.present;
    const present = Promise.all([
      this.router.print('/ip/arp', { query: [`?address=${address}`], proplist: ['status', 'disabled'] }),
      this.router.print('/ip/dhcp-server/lease', { query: [`?address=${address}`], proplist: ['status'] }),
    ]).then(
      ([arp, leases]) =>
        arp.some((a) => a['status'] !== 'failed' && a['status'] !== 'incomplete' && a['disabled'] !== 'true') ||
        leases.some((l) => l['status'] === 'bound'),
    );
    this.owners.set(address, { at: now, present });
    return present;
  }
}

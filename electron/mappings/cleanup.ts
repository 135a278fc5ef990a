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
  RemovalStrategy,
  StrategyAttempt,
} from '../../shared/domains/mappings';
import { ContractError } from '../../shared/contract/result';
import type { RouterPort } from '../core/router-port';
import type { MappingsClock } from './clock';
import { NAT_MENU, UPNP_MAPPINGS_MENU } from './monitor';
import { PresenceCache, recheckIdentity, type Entry } from './recheck';
import { existingRules, removeTarget, type IgdDelete, type Target } from './strategies';

const PREVIEW_TTL_MS = 15 * 60_000;
const MAX_PREVIEWS = 4;

type PreviewEntry = Entry;
const DEFAULT_BATCH = 50;
const DEFAULT_LANES = 4;

export interface CleanupDeps {
  clock: MappingsClock;
  igdDelete?: IgdDelete;
  onProgress: (p: CleanupProgress) => void;
  /** Batches in flight; with batch 1 and concurrency 1 everything is sequential (the bench compares). */
  concurrency?: number;
  /** Mappings re-checked and removed per command. */
  batch?: number;
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

  private async execute(router: RouterPort, entries: Entry[], checkActivity: boolean): Promise<CleanupSummary> {
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
    const size = Math.max(1, this.deps.batch ?? DEFAULT_BATCH);
    const chunks: Entry[][] = [];
    for (let i = 0; i < entries.length; i += size) chunks.push(entries.slice(i, i + size));
    let next = 0;
    const worker = async () => {
      while (next < chunks.length) {
        const chunk = chunks[next++] ?? [];
        for (const outcome of await this.chunk(router, chunk, checkActivity, presence)) {
          outcomes.push(outcome);
          report(outcome);
        }
      }
    };
    const lanes = Math.max(1, Math.min(this.deps.concurrency ?? DEFAULT_LANES, chunks.length));
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

  /** One batch: re-check all with one print, remove the still-eligible ones together, verify with one print. */
  private async chunk(
    router: RouterPort,
    chunk: Entry[],
    checkActivity: boolean,
    presence: PresenceCache,
  ): Promise<CleanupOutcome[]> {
    const out: CleanupOutcome[] = [];
    let skip: Map<string, string>;
    try {
      skip = await recheckIdentity(router, chunk);
    } catch (err) {
      return chunk.map((e) => failed(e, `re-check failed: ${message(err)}`, [], false));
    }
    const eligible: Entry[] = [];
    for (const e of chunk) {
      const reason =
        skip.get(e.id) ??
        (checkActivity
          ? await presence.activeReason(e).catch((err: unknown) => `re-check failed: ${message(err)}`)
          : null);
      if (reason) out.push({ id: e.id, result: 'skipped', reason });
      else eligible.push(e);
    }
    const batch = await removeBatch(router, eligible);
    for (const e of eligible) {
      const tried = batch.get(e.id);
      if (tried?.ok) {
        out.push({ id: e.id, result: 'removed', strategy: tried.strategy, attempts: [tried] });
        continue;
      }
      out.push(await this.fallback(router, e, tried ? [tried] : []));
    }
    return out;
  }

  private async fallback(router: RouterPort, e: Entry, tried: StrategyAttempt[]): Promise<CleanupOutcome> {
    try {
      const result = await removeTarget(router, e, this.deps.igdDelete, tried);
      if (result.ok && result.strategy)
        return { id: e.id, result: 'removed', strategy: result.strategy, attempts: result.attempts };
      const last = result.attempts[result.attempts.length - 1];
      const reason = last ? `${last.strategy}: ${last.detail}` : 'no removal method applies';
      return failed(e, reason, result.attempts, e.source !== 'unknown');
    } catch (err) {
      return failed(e, message(err), tried, false);
    }
  }
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

const failed = (
  e: Entry,
  reason: string,
  attempts: StrategyAttempt[],
  restartWouldRemove: boolean,
): CleanupOutcome => ({
  id: e.id,
  result: 'failed',
  reason,
  attempts,
  restartWouldRemove,
});

/**
 * The first strategy for many mappings in one command (`remove =.id=*1,*2,…`), then one print to see
 * which are gone. Anything not gone falls back one by one, so a refusal of one never blocks the rest.
 */
async function removeBatch(
  router: RouterPort,
  entries: Entry[],
): Promise<Map<string, StrategyAttempt & { strategy: RemovalStrategy }>> {
  const result = new Map<string, StrategyAttempt & { strategy: RemovalStrategy }>();
  const withRules = entries.filter((e) => e.ruleIds.length > 0);
  if (withRules.length === 0) return result;
  const seedMenu = router.capabilities.menus.upnpMappings && withRules.every((e) => e.upnpMappingId);
  const strategy: RemovalStrategy = seedMenu ? 'upnp-mappings-remove' : 'nat-rule-remove';
  let error: string | null = null;
  try {
    if (seedMenu)
      await router.remove(
        UPNP_MAPPINGS_MENU,
        withRules.map((e) => e.upnpMappingId ?? ''),
      );
    else
      await router.remove(
        NAT_MENU,
        withRules.flatMap((e) => e.ruleIds),
      );
  } catch (err) {
    error = message(err);
  }
  // `!done` for a remove means every listed item went; only after a refusal is each one checked.
  const left =
    error === null
      ? new Set<string>()
      : await existingRules(
          router,
          withRules.flatMap((e) => e.ruleIds),
        );
  for (const e of withRules) {
    const gone = e.ruleIds.every((id) => !left.has(id));
    const detail = gone ? 'removed' : (error ?? 'the router accepted it but the rule is still there');
    result.set(e.id, { strategy, ok: gone, detail });
  }
  return result;
}

const sourceOf = (entries: PreviewEntry[], id: string): 'upnp' | 'nat-pmp' =>
  entries.find((e) => e.id === id)?.source === 'nat-pmp' ? 'nat-pmp' : 'upnp';

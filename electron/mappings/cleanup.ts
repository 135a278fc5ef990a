/**
 * One-click cleanup (issue 11): preview (the stale mappings, and a plan in plain words) → the user's
 * ticked ids and confirmation of that plan → removal with batched progress → a summary grouped by
 * outcome and reason. Safety lives here, not in the UI: an id that was not in the preview is refused;
 * a run never does more than the user confirmed (a UPnP restart only when confirmed, and refused with
 * `plan-changed` when it would now lose mappings the user did not accept to lose); each mapping is
 * re-read right before removal — it must still be the same dynamic rule (a static rule is never
 * removed) and must not have become active again; and after a UPnP restart every mapping that was
 * not selected is restored, back, or reported as not restored with what its owner must do.
 */
import { ContractError } from '../../shared/contract/result';
import type {
  CleanupConfirm,
  CleanupPlan,
  CleanupPreview,
  CleanupProgress,
  CleanupSummary,
  LearnedCapabilities,
  MappingView,
} from '../../shared/domains/mappings';
import type { RouterPort } from '../core/router-port';
import type { MappingsClock } from './clock';
import { Outcomes } from './cleanup-outcomes';
import { buildPlan } from './cleanup-plan';
import { ProgressReporter } from './cleanup-progress';
import { flushAndRestore, waitUntil, type CleanupMonitor } from './flush';
import { probeForeignAdd, probeTarget } from './foreign-add-probe';
import { historyKey } from './history';
import type { IgdActions } from './igd-port';
import { PresenceCache, recheckIdentity, type Entry } from './recheck';
import { apiRemovePhase, errorMessage, igdDeletePhase, inLanes, type PhaseContext, type Target } from './strategies';

const PREVIEW_TTL_MS = 15 * 60_000;
const MAX_PREVIEWS = 4;
const DEFAULT_BATCH = 50;
const DEFAULT_LANES = 4;
const DEFAULT_RESTORE_LANES = 16;
const DEFAULT_VERIFY_MS = 5000;

/** What the cleanup learnt about the router it works on (learned.ts, bound to one router). */
export interface LearnedStore {
  get(): Promise<LearnedCapabilities>;
  record(answers: Partial<LearnedCapabilities>): Promise<LearnedCapabilities>;
}

/** The router a call works on, with everything that belongs to it. */
export interface CleanupTarget {
  router: RouterPort;
  monitor: CleanupMonitor;
  learned: LearnedStore;
  igd: IgdActions | null;
  /** The router's change lock (ChangeApplier.runExclusive); absent = run at once. */
  exclusive?: <T>(title: string, fn: () => Promise<T>, onWaiting: (running: string) => void) => Promise<T>;
}

export interface CleanupDeps {
  clock: MappingsClock;
  onProgress: (p: CleanupProgress) => void;
  /** Batches in flight; with batch 1 and concurrency 1 everything is sequential (the bench compares). */
  concurrency?: number;
  /** Mappings re-checked and removed per command. */
  batch?: number;
  /** AddPortMapping requests in flight while restoring. */
  restoreLanes?: number;
  /** How long a restart's flush and the restored mappings may take to show on the router. */
  verifyMs?: number;
  newId?: () => string;
}

interface Preview {
  createdAt: number;
  single: boolean;
  entries: Map<string, Entry>;
}

export const targetOf = (v: MappingView): Target => ({
  id: v.id,
  protocol: v.protocol,
  externalPort: v.externalPort,
  internalAddress: v.internalAddress,
  internalPort: v.internalPort,
  description: v.description,
  hostName: v.owner.hostName,
  enabled: v.enabled,
  source: v.source,
  ruleIds: [...v.ruleIds],
  upnpMappingId: v.upnpMappingId,
});

export class Cleanup {
  private previews = new Map<string, Preview>();
  private running = false;
  private seq = 0;

  constructor(private readonly deps: CleanupDeps) {}

  /** The stale mappings (or the one the user picked) and the plan with all of them selected. */
  async preview(on: CleanupTarget, opts: { only?: string } = {}): Promise<CleanupPreview> {
    const now = this.deps.clock.now();
    const views = on.monitor.list();
    let picked: MappingView[];
    if (opts.only !== undefined) {
      const view = on.monitor.get(opts.only);
      if (!view) throw new ContractError('not-found', `No mapping ${opts.only} on the router any more.`);
      picked = [view];
    } else {
      picked = views.filter((v) => v.status === 'stale' && v.ruleIds.length + (v.upnpMappingId ? 1 : 0) > 0);
    }
    const entries = new Map(picked.map((v) => [v.id, { ...targetOf(v), reasons: v.staleReasons }]));
    const previewId = this.deps.newId?.() ?? `p${now.toString(36)}-${++this.seq}`;
    this.previews.set(previewId, { createdAt: now, single: opts.only !== undefined, entries });
    for (const [id, p] of this.previews) {
      if (now - p.createdAt > PREVIEW_TTL_MS || this.previews.size > MAX_PREVIEWS) this.previews.delete(id);
    }
    let plan = await this.planFor(on, [...entries.values()], views);
    const kept = () => views.filter((v) => !entries.has(v.id));
    if (plan.strategy === 'flush-and-restore' && plan.learned.foreignAdd === 'unknown' && on.igd?.available()) {
      const local = await on.igd.localAddress().catch(() => null);
      const target = probeTarget(picked, kept(), local);
      if (target) {
        await on.learned.record({ foreignAdd: await this.probe(on, on.igd, target) });
        plan = await this.planFor(on, [...entries.values()], on.monitor.list());
      }
    }
    const candidates = picked.map((v) => ({ mapping: v, reasons: v.staleReasons }));
    return { previewId, createdAt: now, single: opts.only !== undefined, candidates, plan };
  }

  /**
   * The restore question, asked with the mapping's history held: a router that re-creates the rule
   * for an identical AddPortMapping must not make the mapping look new (its age stays true).
   */
  private async probe(on: CleanupTarget, igd: IgdActions, v: MappingView) {
    const hold = on.monitor.hold([historyKey(v.id, v.internalAddress)]);
    try {
      const answer = await probeForeignAdd(igd, v);
      const here = () => on.monitor.get(v.id)?.internalAddress === v.internalAddress;
      await waitUntil(this.deps.clock, here, 1000);
      return answer;
    } finally {
      hold.release();
    }
  }

  /** The plan for the ids the user still has ticked. */
  async plan(on: CleanupTarget, previewId: string, ids: string[]): Promise<CleanupPlan> {
    return this.planFor(on, this.selection(previewId, ids).entries, on.monitor.list());
  }

  async run(on: CleanupTarget, previewId: string, ids: string[], confirm: CleanupConfirm): Promise<CleanupSummary> {
    const { entries, single } = this.selection(previewId, ids);
    if (this.running) throw new ContractError('busy', 'A cleanup is already running.');
    // A run never does more than the user confirmed: a restart only when confirmed, and only with the
    // loss the user accepted. The strategies that touch nothing but the selection are always tried.
    if (confirm.strategy === 'flush-and-restore') {
      const plan = await this.planFor(on, entries, on.monitor.list());
      if (plan.needsAcceptLoss && !confirm.acceptLoss) {
        throw new ContractError(
          'plan-changed',
          `Restarting UPnP now would lose mappings you have not accepted to lose: ${plan.sentences.join(' ')} Open the preview again to confirm that.`,
          { plan },
        );
      }
    }
    this.running = true;
    this.previews.delete(previewId);
    const started = this.deps.clock.now();
    const runId = `r${started.toString(36)}-${++this.seq}`;
    const progress = new ProgressReporter(runId, this.deps.clock, this.deps.onProgress);
    try {
      const work = () => this.execute(on, entries, single, confirm, progress);
      const summary = on.exclusive
        ? await on.exclusive('Clean up stale mappings', work, (running) =>
            progress.phase('waiting', 0, `Waiting for “${running}” to finish on this router.`),
          )
        : await work();
      return { ...summary, runId, durationMs: this.deps.clock.now() - started };
    } finally {
      this.running = false;
    }
  }

  private selection(previewId: string, ids: string[]): { entries: Entry[]; single: boolean } {
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
    const entries = [...new Set(ids)].map((id) => preview.entries.get(id)).filter((e): e is Entry => !!e);
    return { entries, single: preview.single };
  }

  private async planFor(on: CleanupTarget, selected: Entry[], all: MappingView[]): Promise<CleanupPlan> {
    const igd = on.igd?.available() ?? false;
    const localAddress = igd && on.igd ? await on.igd.localAddress().catch(() => null) : null;
    return buildPlan({ selected, all, learned: await on.learned.get(), igd, localAddress });
  }

  private async execute(
    on: CleanupTarget,
    entries: Entry[],
    single: boolean,
    confirm: CleanupConfirm,
    progress: ProgressReporter,
  ): Promise<Omit<CleanupSummary, 'runId' | 'durationMs'>> {
    const learnedBefore = await on.learned.get();
    const outcomes = new Outcomes();
    const c: PhaseContext = {
      router: on.router,
      outcomes,
      learned: { ...learnedBefore },
      progress,
      lanes: Math.max(1, this.deps.concurrency ?? DEFAULT_LANES),
      batch: Math.max(1, this.deps.batch ?? DEFAULT_BATCH),
    };
    progress.phase('checking', entries.length);
    // The user asked for a single mapping from its row: activity does not stop it.
    await this.recheck(c, entries, !single);
    progress.phase('removing', outcomes.open(entries).length);
    await apiRemovePhase(c, outcomes.open(entries));
    if (on.igd) await igdDeletePhase(c, on.igd, outcomes.open(entries));
    const upnpLeft = outcomes.open(entries).filter((e) => e.source === 'upnp');
    if (upnpLeft.length > 0 && confirm.strategy === 'flush-and-restore') {
      const removed = new Set([...outcomes.targets.values()].filter((o) => o.result === 'removed').map((o) => o.id));
      await flushAndRestore(
        {
          ...c,
          monitor: on.monitor,
          igd: on.igd,
          clock: this.deps.clock,
          verifyMs: this.deps.verifyMs ?? DEFAULT_VERIFY_MS,
          restoreLanes: this.deps.restoreLanes ?? DEFAULT_RESTORE_LANES,
        },
        upnpLeft,
        removed,
      );
    }
    for (const e of outcomes.open(entries)) outcomes.failed(e, notRemoved(e, c.learned));
    const learned = await on.learned.record(c.learned);
    progress.phase('done', entries.length);
    const { targets, kept, groups } = outcomes.summarize(entries.map((e) => e.id));
    return {
      strategy: outcomes.used ?? 'none',
      removed: outcomes.count('removed'),
      skipped: outcomes.count('skipped'),
      failed: outcomes.count('failed'),
      restored: outcomes.count('restored'),
      back: outcomes.count('back'),
      notRestored: outcomes.count('not-restored'),
      targets,
      kept,
      groups,
      learned,
    };
  }

  /** Re-checks in batches: one identity read per rule, owners and connections at most once a second. */
  private async recheck(c: PhaseContext, entries: Entry[], checkActivity: boolean): Promise<void> {
    const presence = new PresenceCache(c.router, this.deps.clock);
    const batches: Entry[][] = [];
    for (let i = 0; i < entries.length; i += c.batch) batches.push(entries.slice(i, i + c.batch));
    await inLanes(batches, c.lanes, async (batch) => {
      let skip: Map<string, string>;
      try {
        skip = await recheckIdentity(c.router, batch);
      } catch (err) {
        for (const e of batch) c.outcomes.failed(e, `re-check failed: ${errorMessage(err)}`);
        return;
      }
      for (const e of batch) {
        const reason =
          skip.get(e.id) ??
          (checkActivity
            ? await presence.activeReason(e).catch((err: unknown) => `re-check failed: ${errorMessage(err)}`)
            : null);
        if (reason) c.outcomes.skipped(e, reason);
      }
      c.progress.step(batch.length);
    });
  }
}

/** Why a selected mapping is still there, in words that group. */
function notRemoved(e: Entry, learned: LearnedCapabilities): string {
  if (e.source === 'nat-pmp' && learned.dynamicRemove === 'refused')
    return 'this router does not let PortPilot remove NAT-PMP mappings: it expires by itself when its device stops renewing it';
  if (e.source === 'unknown') return 'not made by UPnP or NAT-PMP, and the router refused to remove it through its API';
  return 'the router refused to remove it singly; removing it needs a UPnP restart: open the cleanup again to see that plan';
}

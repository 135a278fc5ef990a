/**
 * ChangeApplier: the one way a service changes a router. Configuration and troubleshooter fixes keep
 * their plans here by id (the renderer applies by id, never sends operations), and apply / resume /
 * roll back through the plan engine with one journal and **one lock per router**: a configuration
 * apply and a troubleshooter fix on the same router run one after the other, the second told why it
 * waits (issues 17 and 18). An interrupted change must be rolled back or resumed before a new one.
 * A login without the write policy is refused before anything is sent (issue 18).
 */
import { ContractError } from '../../shared/contract/result';
import type { ApplyReport, PlanView, ProgressEvent } from '../../shared/domains/config';
import type { RouterLink } from '../core/router-link';
import {
  applyPlan,
  JournalError,
  renderScript,
  reportOf,
  resumeJournal,
  rollbackJournal,
  type Journal,
  type JournalStore,
  type Plan,
} from '../plans';
import { requireRouter, requireWrite } from './require-router';

export interface ChangeApplierDeps {
  router: () => RouterLink | null;
  journal: JournalStore;
  now?: () => Date;
  /** Plans kept at most (the oldest are forgotten; applying one then says to preview again). */
  maxPlans?: number;
}

type OnProgress = (event: ProgressEvent) => void;

export interface JournalView {
  planId: string;
  title: string;
  target: string;
  startedAt: string;
  status: Journal['status'];
  report: ApplyReport;
}

export class ChangeApplier {
  private readonly plans = new Map<string, Plan>();
  /** The tail of each router's queue of changes, and what is running there now. */
  private readonly queues = new Map<string, { tail: Promise<unknown>; running: string }>();

  constructor(private readonly deps: ChangeApplierDeps) {}

  /** Keeps `plan` for a later apply by id and returns what the user reads (steps, script). */
  keep(plan: Plan): PlanView {
    this.plans.set(plan.id, plan);
    const excess = this.plans.size - (this.deps.maxPlans ?? 60);
    for (const id of [...this.plans.keys()].slice(0, Math.max(0, excess))) this.plans.delete(id);
    return {
      ...plan,
      steps: plan.steps.map(({ op: _op, ...rest }) => rest),
      script: renderScript(plan, { router: this.deps.router()?.label }),
    };
  }

  /** Applies a kept plan; `missing` is what the user is told when the plan is gone. */
  async apply(planId: string, onProgress: OnProgress, missing: string): Promise<ApplyReport> {
    const plan = this.plans.get(planId);
    if (!plan) throw new ContractError('unknown-plan', missing);
    const router = requireRouter(this.deps.router);
    requireWrite(router, `“${plan.title}”`);
    return this.exclusive(router, plan, onProgress, async () => {
      const pending = await this.deps.journal.load();
      if (pending?.status === 'interrupted' || pending?.status === 'applying') {
        throw new ContractError(
          'busy',
          `An earlier change (“${pending.plan.title}”) was interrupted: roll it back or resume it on the Configuration screen first.`,
        );
      }
      if (!this.plans.delete(planId)) throw new ContractError('unknown-plan', missing);
      return applyPlan(router, plan, this.engineOptions(router, onProgress));
    });
  }

  async resume(onProgress: OnProgress): Promise<ApplyReport> {
    const router = requireRouter(this.deps.router);
    requireWrite(router, 'Finishing the interrupted change');
    return this.exclusive(router, null, onProgress, async () => {
      await this.journalOf(router);
      return resumeJournal(router, this.deps.journal, this.engineOptions(router, onProgress)).catch(noJournal);
    });
  }

  /** Undoes the last change; with `planId`, only when that plan is the last change made. */
  async rollback(onProgress: OnProgress, planId?: string): Promise<ApplyReport> {
    const router = requireRouter(this.deps.router);
    requireWrite(router, 'Rolling back the interrupted change');
    return this.exclusive(router, null, onProgress, async () => {
      const j = await this.journalOf(router);
      if (planId !== undefined && j && j.plan.id !== planId) {
        throw new ContractError(
          'busy',
          `Another change (“${j.plan.title}”) was made after this one: undo that first (Configuration screen), then this one.`,
        );
      }
      return rollbackJournal(router, this.deps.journal, this.engineOptions(router, onProgress)).catch(noJournal);
    });
  }

  async journal(): Promise<JournalView | null> {
    const j = await this.deps.journal.load();
    if (!j) return null;
    const { plan, target, startedAt, status } = j;
    return { planId: plan.id, title: plan.title, target, startedAt, status, report: reportOf(j) };
  }

  private engineOptions(router: RouterLink, onProgress: OnProgress) {
    return {
      journal: this.deps.journal,
      target: router.label,
      routerKey: router.dataKey,
      onProgress,
      now: this.deps.now,
    };
  }

  /** A journal is only replayed on the router it was written for. */
  private async journalOf(router: RouterLink): Promise<Journal | null> {
    const j = await this.deps.journal.load();
    const owner = j?.routerKey ?? null;
    if (j && owner !== null && owner !== router.dataKey) {
      throw new ContractError(
        'busy',
        `That change was made on ${j.target}; connect to it to roll back or resume (now connected to ${router.label}).`,
      );
    }
    return j;
  }

  /** Runs `fn` when every earlier change on this router has finished; says so while it waits. */
  private exclusive<T>(router: RouterLink, plan: Plan | null, onProgress: OnProgress, fn: () => Promise<T>) {
    const title = plan?.title ?? 'Undo or finish the last change';
    const first = plan?.steps[0];
    const onWaiting = (running: string) =>
      first &&
      onProgress({
        planId: plan.id,
        stepId: first.id,
        index: 0,
        total: plan.steps.length,
        phase: 'waiting',
        message: `Waiting for “${running}” to finish on ${router.label}.`,
      });
    return this.runExclusive(router, title, fn, onWaiting);
  }

  /**
   * The per-router lock, for any change that must not interleave with a configuration apply or a
   * troubleshooter fix — the mappings cleanup restarts UPnP, which a configuration change under
   * /ip upnp would do too (issue 11). `onWaiting` gets the title of what runs now when `fn` must wait.
   */
  async runExclusive<T>(
    router: RouterLink,
    title: string,
    fn: () => Promise<T>,
    onWaiting?: (running: string) => void,
  ): Promise<T> {
    const key = router.dataKey;
    const queue = this.queues.get(key) ?? { tail: Promise.resolve(), running: title };
    if (this.queues.has(key)) onWaiting?.(queue.running);
    const mine = queue.tail
      .catch(() => undefined)
      .then(() => {
        queue.running = title;
        return fn();
      });
    queue.tail = mine;
    this.queues.set(key, queue);
    try {
      return await mine;
    } finally {
      if (queue.tail === mine) this.queues.delete(key);
    }
  }
}

function noJournal(err: unknown): never {
  if (err instanceof JournalError && err.code === 'no-journal') throw new ContractError('no-journal', err.message);
  throw err;
}

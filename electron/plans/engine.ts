/**
 * Applies a plan step by step: skip what is already done, journal each step's inverse before sending
 * it, stop at the first failure and roll back the applied steps in reverse order. A dropped connection
 * stops the run with the journal marked `interrupted`; `resume` and `rollback` pick it up on reconnect.
 */
import { isConnectionError, type RouterPort } from '../core/router-port';
import { JournalError } from './errors';
import type { Journal, JournalStep, JournalStore } from './journal';
import { memoryJournalStore } from './journal';
import { reportOf } from './report';
import type { IdMap } from './rows';
import { isDone, prepareInverse, send } from './step-ops';
import type { ApplyReport, Plan, ProgressEvent, ProgressPhase, StepOp } from './types';

export interface ApplyOptions {
  journal?: JournalStore;
  /** Shown in the journal and reports (`admin@192.168.88.1:8728`): for people. */
  target?: string;
  /** Which router the journal belongs to (RouterLink.dataKey): resume and rollback check it. */
  routerKey?: string;
  onProgress?: (event: ProgressEvent) => void;
  now?: () => Date;
}

class Run {
  readonly ids: IdMap = new Map();
  constructor(
    readonly router: RouterPort,
    readonly journal: Journal,
    readonly store: JournalStore,
    readonly opts: ApplyOptions,
    /** A fresh apply writes its journal only once it sends something: a no-op keeps the last journal (undo). */
    public started = true,
  ) {}

  save = async (): Promise<void> => {
    if (this.started) await this.store.save(this.journal);
  };

  progress(i: number, phase: ProgressPhase, message?: string): void {
    const step = this.journal.plan.steps[i];
    if (!step) return;
    const total = this.journal.plan.steps.length;
    this.opts.onProgress?.({
      planId: this.journal.plan.id,
      stepId: step.id,
      index: i,
      total,
      phase,
      ...(message ? { message } : {}),
    });
  }

  async interrupted(err: Error): Promise<ApplyReport> {
    this.journal.status = 'interrupted';
    this.journal.message = `connection lost: ${err.message}`;
    await this.save();
    return reportOf(this.journal);
  }
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Whether each step of the plan is already done on the router (for previews). */
export async function checkPlan(router: RouterPort, plan: Plan): Promise<Array<{ id: string; done: boolean }>> {
  const out: Array<{ id: string; done: boolean }> = [];
  for (const step of plan.steps) out.push({ id: step.id, done: await isDone(router, step.op) });
  return out;
}

export async function applyPlan(router: RouterPort, plan: Plan, opts: ApplyOptions = {}): Promise<ApplyReport> {
  const journal: Journal = {
    version: 1,
    plan,
    target: opts.target ?? '',
    ...(opts.routerKey ? { routerKey: opts.routerKey } : {}),
    startedAt: (opts.now?.() ?? new Date()).toISOString(),
    status: 'applying',
    steps: plan.steps.map((s) => ({ id: s.id, status: 'pending' })),
  };
  return forward(new Run(router, journal, opts.journal ?? memoryJournalStore(), opts, false));
}

/**
 * Continues an interrupted journal. The journal is not trusted: every step it marks applied or done is
 * checked on the router again, and one the router no longer has (it lost acknowledged changes, e.g. a
 * reboot without saving, issue 18) is applied again.
 */
export async function resumeJournal(
  router: RouterPort,
  store: JournalStore,
  opts: ApplyOptions = {},
): Promise<ApplyReport> {
  const journal = await store.load();
  if (!journal) throw new JournalError('no-journal', 'there is no interrupted change to resume');
  journal.status = 'applying';
  delete journal.message;
  const run = new Run(router, journal, store, opts);
  const lost = await recheckApplied(run);
  if (lost.length > 0) await run.save();
  return forward(run);
}

/** Steps the journal says are in place but the router does not have go back to `pending`. */
async function recheckApplied(run: Run): Promise<string[]> {
  const lost: string[] = [];
  const { steps } = run.journal.plan;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i];
    const js = run.journal.steps[i];
    if (!step || !js || (js.status !== 'applied' && js.status !== 'already-done')) continue;
    // An add's check needs the id map of earlier adds; a lost add is simply sent again.
    if (await isDone(run.router, step.op, run.ids)) continue;
    js.status = 'pending';
    delete js.inverse;
    lost.push(step.id);
  }
  return lost;
}

/** Undoes every applied step of the journal (an interrupted, completed or failed apply), newest first. */
export async function rollbackJournal(
  router: RouterPort,
  store: JournalStore,
  opts: ApplyOptions = {},
): Promise<ApplyReport> {
  const journal = await store.load();
  if (!journal) throw new JournalError('no-journal', 'there is no change to roll back');
  return rollback(new Run(router, journal, store, opts));
}

async function forward(run: Run): Promise<ApplyReport> {
  const { plan } = run.journal;
  for (let i = 0; i < plan.steps.length; i++) {
    const step = plan.steps[i];
    const js = run.journal.steps[i];
    if (!step || !js || js.status === 'applied' || js.status === 'already-done') continue;
    try {
      if (js.status === 'sending' && (await settleInFlight(run, step.op, js)) === 'applied') continue;
      run.progress(i, 'checking');
      if (await isDone(run.router, step.op, run.ids)) {
        js.status = 'already-done';
        await run.save();
        run.progress(i, 'skipped', 'already done');
        continue;
      }
      js.inverse = await prepareInverse(run.router, step.op, run.ids);
      js.status = 'sending';
      run.started = true;
      await run.save();
      run.progress(i, 'applying');
      const newId = await send(run.router, step.op, run.ids);
      if (step.op.verb === 'add' && newId) js.inverse = { verb: 'remove', menu: step.op.menu, find: { id: newId } };
      js.status = 'applied';
      await run.save();
      run.progress(i, 'applied');
    } catch (err) {
      if (isConnectionError(err)) return run.interrupted(err);
      js.status = 'failed';
      js.error = message(err);
      await run.save();
      run.progress(i, 'failed', js.error);
      return rollback(run);
    }
  }
  run.journal.status = 'completed';
  await run.save();
  return reportOf(run.journal);
}

/** A step sent just before the connection dropped: did it take effect? Its check decides. */
async function settleInFlight(run: Run, op: StepOp, js: JournalStep): Promise<JournalStep['status']> {
  js.status = (await isDone(run.router, op, run.ids)) ? 'applied' : 'pending';
  await run.save();
  return js.status;
}

async function rollback(run: Run): Promise<ApplyReport> {
  const { steps } = run.journal.plan;
  let incomplete = false;
  for (let i = steps.length - 1; i >= 0; i--) {
    const step = steps[i];
    const js = run.journal.steps[i];
    if (!step || !js) continue;
    try {
      if (js.status === 'sending') await settleInFlight(run, step.op, js);
      if (js.status !== 'applied' || !js.inverse) continue;
      run.progress(i, 'rolling-back');
      if (!(await isDone(run.router, js.inverse, run.ids))) await send(run.router, js.inverse, run.ids);
      js.status = 'rolled-back';
      await run.save();
      run.progress(i, 'rolled-back');
    } catch (err) {
      if (isConnectionError(err)) return run.interrupted(err);
      js.status = 'rollback-failed';
      js.error = message(err);
      incomplete = true;
      await run.save();
      run.progress(i, 'rollback-failed', js.error);
    }
  }
  run.journal.status = incomplete ? 'rollback-incomplete' : 'rolled-back';
  await run.save();
  return reportOf(run.journal);
}

/**
 * Change plans: the one way PortPilot changes a router.
 *
 * API (for the configuration screens, the setup wizard, the troubleshooter's fixes):
 * - `step({ id, description, op, restartsUpnp?, restartsNatPmp?, cli? })` builds a Step; `cli` defaults
 *   to the RouterOS CLI line equivalent to `op`.
 *   `op` is data: `set` (find null = singleton menu), `add` (optional `before` = place-before),
 *   `remove`, `move`. A row is found by `{ id }` or by `{ match: { field: value } }` (static rows only).
 * - check: derived from `op` (set → values already equal; add → a matching row exists; remove → no
 *   matching row; move → already right before its destination). Done steps are skipped as
 *   "already done", which makes applying a plan twice a no-op.
 * - inverse: computed at apply time from the state just before the step is sent (previous values of a
 *   set, id of the added row, fields and position of a removed row, old position of a moved row) and
 *   kept in the journal.
 * - `renderScript(plan)` → the `.rsc` preview; `checkPlan(router, plan)` → which steps are done.
 * - `applyPlan(router, plan, { journal, onProgress, target })` → ApplyReport. First failure → rollback
 *   in reverse → report of applied / rolled back / not rolled back. Connection lost → outcome
 *   `interrupted`, journal kept; later `resumeJournal` or `rollbackJournal` with the same store.
 * - validate.ts: parsePort, parsePortRange, parseIPv4, parseProtocol, parseInterface, Validator →
 *   ValidationError with `fields: [{ field, message }]`. Validate before building a plan.
 */
import { cliFor } from './script';
import type { Step, StepOp } from './types';

export * from './types';
export { applyPlan, checkPlan, resumeJournal, rollbackJournal, type ApplyOptions } from './engine';
export { JournalError, type JournalErrorCode } from './errors';
export { fileJournalStore, memoryJournalStore, type Journal, type JournalStore } from './journal';
export { reportOf } from './report';
export { cliFor, cliMenu, renderScript } from './script';

export function step(def: {
  id: string;
  description: string;
  op: StepOp;
  restartsUpnp?: boolean;
  restartsNatPmp?: boolean;
  cli?: string;
}): Step {
  return {
    id: def.id,
    description: def.description,
    cli: def.cli ?? cliFor(def.op),
    op: def.op,
    restartsUpnp: def.restartsUpnp ?? false,
    restartsNatPmp: def.restartsNatPmp ?? false,
  };
}

/** Menus whose changes restart a mapping service (MikroTik manual; routeros-facts.md). */
export function restartsOf(menu: string): { restartsUpnp: boolean; restartsNatPmp: boolean } {
  return {
    restartsUpnp: menu === '/ip/upnp' || menu === '/ip/upnp/interfaces',
    restartsNatPmp: menu === '/ip/nat-pmp' || menu === '/ip/nat-pmp/interfaces',
  };
}

/**
 * Flush-and-restore (issue 11), the strategy for a router that removes no single UPnP mapping: record
 * every UPnP mapping that was not selected, restart UPnP the way the router flushes it ([MM]: any change
 * under /ip upnp restarts the service and drops all its dynamic mappings; NAT-PMP is not touched), then
 * restore each kept mapping with IGD AddPortMapping on behalf of its device (same protocol, ports,
 * description, NewInternalClient = the device, lease 0: RouterOS 7 takes permanent leases only), in
 * parallel, and verify each through the live monitor: a mapping counts as back only when the monitor
 * shows it again on a new rule (RouterOS rule ids only grow, so an old id means "not flushed yet").
 * Every kept mapping ends restored, back (its device re-mapped it) or not restored with what its
 * owner must do — never silently lost.
 */
import type { MappingView } from '../../shared/domains/mappings';
import { isTrue } from '../core/router-port';
import type { MappingsClock } from './clock';
import { REASONS } from './cleanup-reasons';
import { historyKey } from './history';
import { CONFLICT, faultCode, NOT_AUTHORIZED, type IgdActions, type IgdMapping } from './igd-port';
import type { Entry } from './cleanup-target';
import { inLanes, type PhaseContext } from './strategies';

/** The monitor as the cleanup sees it. */
export interface CleanupMonitor {
  list(): MappingView[];
  get(id: string): MappingView | undefined;
  hold(keys: string[]): { release(): void };
}

export interface FlushContext extends PhaseContext {
  monitor: CleanupMonitor;
  igd: IgdActions | null;
  clock: MappingsClock;
  /** How long to wait for the flush, and for the restored mappings, to show on the router. */
  verifyMs: number;
  restoreLanes: number;
}

const NOT_RESTORED = {
  refused: 'the router refused to map it on behalf of its device (UPnP 606)',
  notTried: 'not tried: this router does not let PortPilot map a port on behalf of another device',
  noIgd: 'PortPilot cannot reach the router’s UPnP from this computer',
  conflict:
    'the router answered ConflictInMappingEntry (UPnP 718): another device holds the port, or it maps only for the asking device',
  failed: 'the UPnP request failed (no answer, or an error)',
  missing: 'the router accepted it, but it did not appear on the router',
} as const;
type NotRestored = keyof typeof NOT_RESTORED;

/** Polls `done` until it holds or `ms` passed; true when it held. */
export async function waitUntil(clock: MappingsClock, done: () => boolean, ms: number, everyMs = 25): Promise<boolean> {
  const until = clock.now() + ms;
  while (!done()) {
    if (clock.now() >= until) return false;
    await new Promise<void>((resolve) => clock.setTimeout(resolve, everyMs));
  }
  return true;
}

const request = (v: MappingView): IgdMapping => ({
  protocol: v.protocol,
  externalPort: v.externalPort,
  internalAddress: v.internalAddress,
  internalPort: v.internalPort,
  description: v.description,
  enabled: v.enabled,
  leaseSeconds: 0,
});

/** Disable and enable UPnP: the router drops every UPnP mapping. False when UPnP is off. */
async function restartUpnp(c: FlushContext): Promise<boolean> {
  const [settings] = await c.router.print('/ip/upnp');
  if (!isTrue(settings?.['enabled'])) return false;
  await c.router.set('/ip/upnp', null, { enabled: 'no' });
  await c.router.set('/ip/upnp', null, { enabled: 'yes' });
  return true;
}

interface FlushState {
  kept: MappingView[];
  oldRules: Set<string>;
  /** Shown again on a rule the restart did not leave (a new one) for the same device. */
  isNew: (v: MappingView | undefined, address: string) => boolean;
}

/**
 * `targets`: the selected UPnP mappings still on the router; `excluded`: ids already removed.
 * Decides the targets' outcomes and records every kept UPnP mapping's.
 */
export async function flushAndRestore(c: FlushContext, targets: Entry[], excluded: Set<string>): Promise<void> {
  const targetIds = new Set(targets.map((t) => t.id));
  const before = c.monitor.list().filter((v) => v.source === 'upnp' && !excluded.has(v.id));
  const oldRules = new Set(before.flatMap((v) => v.ruleIds));
  const f: FlushState = {
    kept: before.filter((v) => !targetIds.has(v.id)),
    oldRules,
    isNew: (v, address) => !!v && v.internalAddress === address && !v.ruleIds.some((r) => oldRules.has(r)),
  };
  const hold = c.monitor.hold(f.kept.map((v) => historyKey(v.id, v.internalAddress)));
  try {
    c.progress.phase('restarting', 1, `Restarting UPnP: ${before.length} UPnP mappings are dropped`);
    const problem = await restartAndWaitForFlush(c, before, oldRules).catch(
      (err: unknown) => `UPnP could not be restarted: ${err instanceof Error ? err.message : String(err)}`,
    );
    c.progress.step();
    if (problem) {
      // Whatever the restart did before it failed is reported as it is on the router.
      for (const t of targets) {
        if (c.monitor.get(t.id)?.internalAddress === t.internalAddress) c.outcomes.failed(t, problem);
        else c.outcomes.removed(t, 'flush-and-restore', REASONS.flushed);
      }
      accountForLost(c, f.kept, problem);
      return;
    }
    const tried = await restore(c, f.kept);
    c.progress.phase('verifying', f.kept.length);
    const back = (v: MappingView) => f.isNew(c.monitor.get(v.id), v.internalAddress);
    await waitUntil(c.clock, () => f.kept.every((v) => tried.get(v.id) !== 'added' || back(v)), c.verifyMs);
    for (const v of f.kept) recordKept(c, v, tried.get(v.id) ?? 'failed', back(v));
    c.progress.step(f.kept.length);
    for (const t of targets) {
      if (f.isNew(c.monitor.get(t.id), t.internalAddress)) c.outcomes.failed(t, 'its device mapped it again at once');
      else c.outcomes.removed(t, 'flush-and-restore', REASONS.flushed);
    }
  } finally {
    hold.release();
  }
}

/** Restarts UPnP and waits until the monitor saw every old rule go; a reason when that did not happen. */
async function restartAndWaitForFlush(c: FlushContext, before: MappingView[], oldRules: Set<string>) {
  if (!(await restartUpnp(c))) return 'UPnP is turned off on this router: a restart would not drop it';
  const stillOld = new Set(before.map((v) => v.id));
  const flushed = await waitUntil(
    c.clock,
    () => {
      for (const id of stillOld) if (!c.monitor.get(id)?.ruleIds.some((r) => oldRules.has(r))) stillOld.delete(id);
      return stillOld.size === 0;
    },
    c.verifyMs,
  );
  return flushed ? null : 'the router did not drop the UPnP mappings when UPnP restarted';
}

/** After a failed restart: a kept mapping that is gone anyway is reported, never lost silently. */
function accountForLost(c: FlushContext, kept: MappingView[], problem: string): void {
  for (const v of kept) {
    const now = c.monitor.get(v.id);
    if (now && now.internalAddress === v.internalAddress) continue;
    c.outcomes.keep(
      { id: v.id, internalAddress: v.internalAddress, hostName: v.owner.hostName, description: v.description },
      'not-restored',
      problem,
    );
  }
}

function recordKept(c: FlushContext, v: MappingView, tried: 'added' | NotRestored, present: boolean): void {
  const facts = {
    id: v.id,
    internalAddress: v.internalAddress,
    hostName: v.owner.hostName,
    description: v.description,
  };
  if (present && tried === 'added') c.outcomes.keep(facts, 'restored', REASONS.restored);
  else if (present) c.outcomes.keep(facts, 'back', REASONS.back);
  else c.outcomes.keep(facts, 'not-restored', NOT_RESTORED[tried === 'added' ? 'missing' : tried]);
}

/** AddPortMapping for each kept mapping, in parallel; learns `foreignAdd` from the first refusal. */
async function restore(c: FlushContext, kept: MappingView[]): Promise<Map<string, 'added' | NotRestored>> {
  const out = new Map<string, 'added' | NotRestored>();
  const igd = c.igd?.available() ? c.igd : null;
  c.progress.phase('restoring', kept.length);
  if (!igd) {
    for (const v of kept) out.set(v.id, 'noIgd');
    return out;
  }
  const local = await igd.localAddress().catch(() => null);
  const one = async (v: MappingView): Promise<void> => {
    const foreign = v.internalAddress !== local;
    if (foreign && c.learned.foreignAdd === 'refused') out.set(v.id, 'notTried');
    else out.set(v.id, await addOne(igd, v));
    if (foreign && out.get(v.id) === 'refused') c.learned.foreignAdd = 'refused';
    if (foreign && out.get(v.id) === 'added' && c.learned.foreignAdd === 'unknown') c.learned.foreignAdd = 'allowed';
    c.progress.step();
  };
  // Own mappings and, while the answer is unknown, one foreign one first: a refusal is learnt once.
  const ownFirst = [...kept].sort((a, b) => Number(a.internalAddress !== local) - Number(b.internalAddress !== local));
  const firstForeign = ownFirst.findIndex((v) => v.internalAddress !== local);
  const head = c.learned.foreignAdd === 'unknown' && firstForeign >= 0 ? ownFirst.splice(firstForeign, 1) : [];
  for (const v of head) await one(v);
  await inLanes(ownFirst, c.restoreLanes, one);
  return out;
}

async function addOne(igd: IgdActions, v: MappingView): Promise<'added' | NotRestored> {
  try {
    await igd.addMapping(request(v));
    return 'added';
  } catch (err) {
    const code = faultCode(err);
    if (code === NOT_AUTHORIZED) return 'refused';
    if (code === CONFLICT) return 'conflict';
    return 'failed';
  }
}

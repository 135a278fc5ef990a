/**
 * The two removal strategies that touch nothing but the selected mappings (issue 11): removing the
 * dynamic rule through the API (the seed guide's `/ip/upnp/mappings remove` where the router has it),
 * then IGD DeletePortMapping sent from this computer (UPnP IGD WANIPConnection §2.4.17). Whether a
 * router allows either is unknown for real RouterOS 7 (routeros-facts.md), so each is learnt by trying
 * it on the selected mappings themselves: a refused request changes nothing, an accepted one removes
 * what the user confirmed. The answer is learnt from one mapping, so a refusing router costs one
 * request, not one per mapping. A strategy counts only once the rule is verifiably gone.
 */
import type { LearnedCapabilities } from '../../shared/domains/mappings';
import { isTrap, type RouterPort } from '../core/router-port';
import type { Outcomes } from './cleanup-outcomes';
import { REASONS } from './cleanup-reasons';
import type { ProgressReporter } from './cleanup-progress';
import { faultCode, NO_SUCH_ENTRY, NOT_AUTHORIZED, type IgdActions } from './igd-port';
import { NAT_MENU, UPNP_MAPPINGS_MENU } from './monitor';
import type { Entry } from './cleanup-target';
export type { Entry, Target } from './cleanup-target';

export interface PhaseContext {
  router: RouterPort;
  outcomes: Outcomes;
  /** Updated as answers are learnt. */
  learned: LearnedCapabilities;
  progress: ProgressReporter;
  lanes: number;
  batch: number;
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));
const noSuchItem = (err: unknown): boolean => isTrap(err) && /no such item/.test(err.message);

export interface RuleIdentity {
  dynamic: string;
  protocol: string;
  dstPort: string;
  toAddresses: string;
}

/**
 * One NAT rule's identity through `get` (API manual: `get =number=… =value-name=…` returns `=ret=`).
 * A print filtered by `.id` makes the router walk the whole table (10,000 rows for each question);
 * `get` addresses the one item. null when the rule does not exist ("no such item").
 */
export async function ruleIdentity(router: RouterPort, id: string): Promise<RuleIdentity | null> {
  const value = (name: string) =>
    router.command(NAT_MENU, 'get', { number: id, 'value-name': name }).then((r) => r.ret ?? '');
  try {
    const [dynamic, protocol, dstPort, toAddresses] = await Promise.all(
      ['dynamic', 'protocol', 'dst-port', 'to-addresses'].map(value),
    );
    return { dynamic: dynamic ?? '', protocol: protocol ?? '', dstPort: dstPort ?? '', toAddresses: toAddresses ?? '' };
  } catch (err) {
    if (noSuchItem(err)) return null;
    throw err;
  }
}

async function ruleExists(router: RouterPort, id: string): Promise<boolean> {
  try {
    await router.command(NAT_MENU, 'get', { number: id, 'value-name': 'dynamic' });
    return true;
  } catch (err) {
    if (noSuchItem(err)) return false;
    throw err;
  }
}

/** Which of these NAT rule ids still exist (pipelined `get`s). */
export async function existingRules(router: RouterPort, ids: string[]): Promise<Set<string>> {
  const exists = await Promise.all(ids.map((id) => ruleExists(router, id)));
  return new Set(ids.filter((_, i) => exists[i]));
}

/** Runs `fn` over `items` with at most `lanes` in flight. */
export async function inLanes<T>(items: T[], lanes: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await fn(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(lanes, items.length)) }, lane));
}

const chunks = <T>(items: T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
};

/**
 * One `remove` for a whole chunk (`=.id=*1,*2,…`); `!done` means every listed item went. After any
 * trap each rule is looked up: gone counts as removed, still there as refused. Returns whether the
 * router refused (a rule still there after a trap other than "no such item").
 */
async function removeChunk(c: PhaseContext, chunk: Entry[]): Promise<boolean> {
  const seedMenu = c.router.capabilities.menus.upnpMappings && chunk.every((e) => e.upnpMappingId);
  let error: unknown = null;
  try {
    if (seedMenu)
      await c.router.remove(
        UPNP_MAPPINGS_MENU,
        chunk.map((e) => e.upnpMappingId ?? ''),
      );
    else
      await c.router.remove(
        NAT_MENU,
        chunk.flatMap((e) => e.ruleIds),
      );
  } catch (err) {
    error = err;
  }
  const left =
    error === null
      ? new Set<string>()
      : await existingRules(
          c.router,
          chunk.flatMap((e) => e.ruleIds),
        );
  let refused = false;
  for (const e of chunk) {
    if (e.ruleIds.every((id) => !left.has(id))) c.outcomes.removed(e, 'api-remove', REASONS.apiRemoved);
    else refused ||= !noSuchItem(error);
  }
  c.progress.step(chunk.length);
  return refused;
}

/** Removes through the API what it can; learns `dynamicRemove` from the first refusal or success. */
export async function apiRemovePhase(c: PhaseContext, entries: Entry[]): Promise<void> {
  let todo = entries.filter((e) => e.ruleIds.length > 0);
  if (todo.length === 0 || c.learned.dynamicRemove === 'refused') return;
  if (c.learned.dynamicRemove === 'unknown') {
    // One mapping first: a refusing router is found out with one request.
    const [first, ...rest] = todo;
    if (!first) return;
    const refused = await removeChunk(c, [first]);
    c.learned.dynamicRemove = refused ? 'refused' : c.outcomes.targets.has(first.id) ? 'allowed' : 'unknown';
    if (refused) return;
    todo = rest;
  }
  let refusedNow = false;
  await inLanes(chunks(todo, c.batch), c.lanes, async (chunk) => {
    if (refusedNow) return;
    if (await removeChunk(c, chunk)) refusedNow = true;
  });
  // It allowed this before: the router changed. Learn again next time.
  if (refusedNow) c.learned.dynamicRemove = 'refused';
}

/** How one IGD delete went: removed, refused (606), or another failure. */
async function igdDeleteOne(c: PhaseContext, igd: IgdActions, e: Entry): Promise<'removed' | 'refused' | 'error'> {
  try {
    await igd.deleteMapping(e.protocol, e.externalPort);
  } catch (err) {
    const code = faultCode(err);
    if (code === NOT_AUTHORIZED) return 'refused';
    if (code !== NO_SUCH_ENTRY) return 'error';
  }
  // Success (or "no such entry") counts only when the rule is verifiably gone.
  if ((await existingRules(c.router, e.ruleIds)).size > 0) return 'error';
  c.outcomes.removed(e, 'igd-delete', REASONS.igdDeleted);
  return 'removed';
}

/**
 * Deletes UPnP mappings with IGD requests from this computer. Its own mappings (the same address) are
 * always its own to delete; another device's teaches `foreignDelete` (606 = refused).
 */
export async function igdDeletePhase(c: PhaseContext, igd: IgdActions, entries: Entry[]): Promise<void> {
  const todo = entries.filter((e) => e.source === 'upnp');
  if (todo.length === 0 || !igd.available()) return;
  const local = await igd.localAddress().catch(() => null);
  const own = todo.filter((e) => e.internalAddress === local);
  let foreign = todo.filter((e) => e.internalAddress !== local);
  await inLanes(own, c.lanes, async (e) => void (await igdDeleteOne(c, igd, e).catch(() => 'error')));
  if (c.learned.foreignDelete === 'refused' || foreign.length === 0) return;
  if (c.learned.foreignDelete === 'unknown') {
    const [first, ...rest] = foreign;
    if (!first) return;
    const answer = await igdDeleteOne(c, igd, first).catch(() => 'error' as const);
    if (answer === 'refused') c.learned.foreignDelete = 'refused';
    if (answer === 'removed') c.learned.foreignDelete = 'allowed';
    if (answer !== 'removed') return;
    foreign = rest;
  }
  let refusedNow = false;
  await inLanes(foreign, c.lanes, async (e) => {
    if (refusedNow) return;
    if ((await igdDeleteOne(c, igd, e).catch(() => 'error')) === 'refused') refusedNow = true;
  });
  if (refusedNow) c.learned.foreignDelete = 'refused';
}

export { message as errorMessage };

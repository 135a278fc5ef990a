/**
 * Removing one mapping, strategies tried in order and each reported (routeros-facts.md "Cleanup needs
 * fallbacks"): the seed guide's `/ip/upnp/mappings remove` → removing the dynamic NAT rule (real
 * RouterOS 7 reportedly refuses it) → IGD DeletePortMapping sent from this PC (UPnP IGD
 * WANIPConnection §2.4.17; the router may refuse another host's mapping with 606) → restarting the
 * service, which is never done here: it drops live mappings too, so only the user may ask for it.
 * Every strategy counts only once the rule is verifiably gone.
 */
import type { MappingView, RemovalStrategy, StrategyAttempt } from '../../shared/domains/mappings';
import { isTrap, type RouterPort } from '../core/router-port';
import { NAT_MENU, UPNP_MAPPINGS_MENU } from './monitor';

/**
 * What cleanup verified about a mapping right before removing it. Its `ruleIds` were verified dynamic
 * in the re-check (RouterOS ids only grow: never reused).
 */
export type Target = Pick<
  MappingView,
  'id' | 'protocol' | 'externalPort' | 'internalAddress' | 'internalPort' | 'source' | 'ruleIds' | 'upnpMappingId'
>;

export type IgdDelete = (target: Target) => Promise<void>;

export interface RemovalResult {
  ok: boolean;
  strategy: RemovalStrategy | null;
  attempts: StrategyAttempt[];
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

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
    if (isTrap(err) && /no such item/.test(err.message)) return null;
    throw err;
  }
}

async function ruleExists(router: RouterPort, id: string): Promise<boolean> {
  try {
    await router.command(NAT_MENU, 'get', { number: id, 'value-name': 'dynamic' });
    return true;
  } catch (err) {
    if (isTrap(err) && /no such item/.test(err.message)) return false;
    throw err;
  }
}

/** Which of these NAT rule ids still exist (pipelined `get`s). */
export async function existingRules(router: RouterPort, ids: string[]): Promise<Set<string>> {
  const exists = await Promise.all(ids.map((id) => ruleExists(router, id)));
  return new Set(ids.filter((_, i) => exists[i]));
}

export async function isGone(router: RouterPort, t: Target): Promise<boolean> {
  if ((await existingRules(router, t.ruleIds)).size > 0) return false;
  // The seed menu is a view of the dynamic rules: with the rule gone the mapping is gone.
  if (t.ruleIds.length === 0 && t.upnpMappingId && router.capabilities.menus.upnpMappings) {
    const rows = await router.print(UPNP_MAPPINGS_MENU, { query: [`?.id=${t.upnpMappingId}`] });
    if (rows.length > 0) return false;
  }
  return true;
}

interface Strategy {
  name: RemovalStrategy;
  applies(t: Target, router: RouterPort): boolean;
  run(t: Target, router: RouterPort): Promise<void>;
}

export function strategies(igdDelete: IgdDelete | undefined): Strategy[] {
  return [
    {
      name: 'upnp-mappings-remove',
      applies: (t, r) => r.capabilities.menus.upnpMappings && t.upnpMappingId !== null,
      run: (t, r) => r.remove(UPNP_MAPPINGS_MENU, [t.upnpMappingId ?? '']),
    },
    {
      name: 'nat-rule-remove',
      applies: (t) => t.ruleIds.length > 0,
      run: (t, r) => r.remove(NAT_MENU, t.ruleIds),
    },
    {
      name: 'igd-delete',
      applies: (t) => igdDelete !== undefined && t.source !== 'nat-pmp',
      run: (t) => (igdDelete ? igdDelete(t) : Promise.resolve()),
    },
  ];
}

export async function removeTarget(
  router: RouterPort,
  t: Target,
  igdDelete: IgdDelete | undefined,
  tried: StrategyAttempt[] = [],
): Promise<RemovalResult> {
  // Strategies already tried for this mapping (in a batch) are reported, not repeated.
  const attempts: StrategyAttempt[] = [...tried];
  const done = new Set(tried.map((a) => a.strategy));
  for (const s of strategies(igdDelete)) {
    if (done.has(s.name) || !s.applies(t, router)) continue;
    try {
      await s.run(t, router);
      if (await isGone(router, t)) {
        attempts.push({ strategy: s.name, ok: true, detail: 'removed' });
        return { ok: true, strategy: s.name, attempts };
      }
      attempts.push({ strategy: s.name, ok: false, detail: 'the router accepted it but the rule is still there' });
    } catch (err) {
      attempts.push({ strategy: s.name, ok: false, detail: message(err) });
      // A mapping removed by an earlier attempt that then failed (e.g. "no such item") is still gone.
      if (await isGone(router, t).catch(() => false)) {
        return { ok: true, strategy: s.name, attempts };
      }
    }
  }
  return { ok: false, strategy: null, attempts };
}

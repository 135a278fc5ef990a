/**
 * Removing one mapping, strategies tried in order and each reported (routeros-facts.md "Cleanup needs
 * fallbacks"): the seed guide's `/ip/upnp/mappings remove` → removing the dynamic NAT rule (real
 * RouterOS 7 reportedly refuses it) → IGD DeletePortMapping sent from this PC (UPnP IGD
 * WANIPConnection §2.4.17; the router may refuse another host's mapping with 606) → restarting the
 * service, which is never done here: it drops live mappings too, so only the user may ask for it.
 * Every strategy counts only once the rule is verifiably gone.
 */
import type { RemovalStrategy, StrategyAttempt } from '../../shared/domains/mappings';
import type { RouterPort } from '../core/router-port';
import { NAT_MENU, UPNP_MAPPINGS_MENU } from './monitor';

/** What cleanup verified about a mapping right before removing it. */
export interface Target {
  id: string;
  protocol: 'tcp' | 'udp';
  externalPort: number;
  internalAddress: string;
  internalPort: number;
  source: 'upnp' | 'nat-pmp' | 'unknown';
  /** Dynamic rule ids, verified dynamic in the re-check (RouterOS ids only grow: never reused). */
  ruleIds: string[];
  upnpMappingId: string | null;
}

export type IgdDelete = (target: Target) => Promise<void>;

export interface RemovalResult {
  ok: boolean;
  strategy: RemovalStrategy | null;
  attempts: StrategyAttempt[];
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export async function isGone(router: RouterPort, t: Target): Promise<boolean> {
  for (const id of t.ruleIds) {
    const rows = await router.print(NAT_MENU, { query: [`?.id=${id}`], proplist: ['.id'] });
    if (rows.length > 0) return false;
  }
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
): Promise<RemovalResult> {
  const attempts: StrategyAttempt[] = [];
  for (const s of strategies(igdDelete)) {
    if (!s.applies(t, router)) continue;
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

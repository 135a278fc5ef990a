/** Joins a mapping's router facts with its owner, activity, history and stale verdict into the view. */
import type { MappingsSettings, MappingView } from '../../shared/domains/mappings';
import type { Enrichment } from './enrichment';
import type { MappingFacts } from './model';
import type { VendorLookup } from './oui';
import { staleReasons, statusOf, subnetsFor } from './stale';
import { ViewMemo } from './view-memo';

export interface Joined {
  rule?: MappingFacts;
  upnp?: MappingFacts;
}

/**
 * The NAT rule is the truth (it is what forwards traffic); the seed menu adds its own id. Facts are
 * never mutated, so a mapping with one part returns that part itself (issue 14: no copy per row).
 */
export function merged(j: Joined): MappingFacts | null {
  if (j.rule && !j.upnp) return j.rule;
  if (j.upnp && !j.rule) return j.upnp.source === 'upnp' ? j.upnp : { ...j.upnp, source: 'upnp' };
  const base = j.rule ?? j.upnp;
  if (!base) return null;
  return { ...base, upnpMappingId: j.upnp?.upnpMappingId ?? null, source: j.rule?.source ?? 'upnp' };
}

export interface ViewContext {
  enrichment: Enrichment;
  vendor: VendorLookup | null;
  settings: MappingsSettings;
  now: number;
  /** Per-address facts shared by many views (the monitor's); built per call when absent. */
  memo?: ViewMemo;
}

export function buildView(
  f: MappingFacts,
  firstSeenAt: number,
  lastTrafficAt: number | null,
  ctx: ViewContext,
): MappingView {
  const memo = ctx.memo ?? new ViewMemo(ctx.enrichment, ctx.vendor);
  const host = ctx.enrichment.hosts.get(f.internalAddress);
  const subnets = subnetsFor(f.source, ctx.enrichment.subnets);
  const input = {
    enabled: f.enabled,
    internalAddress: f.internalAddress,
    source: f.source,
    host,
    firstSeenAt,
    lastTrafficAt,
    subnets,
    inSubnet: subnets.length > 0 ? memo.inAny(f.internalAddress, subnets) : undefined,
  };
  const reasons = staleReasons(input, ctx.settings, ctx.now);
  const known = knownSince(firstSeenAt, host);
  return {
    id: f.id,
    protocol: f.protocol,
    externalPort: f.externalPort,
    internalAddress: f.internalAddress,
    internalPort: f.internalPort,
    description: f.description,
    source: f.source,
    ruleIds: f.ruleId ? [f.ruleId] : [],
    upnpMappingId: f.upnpMappingId,
    enabled: f.enabled,
    owner: memo.owner(f.internalAddress, host),
    firstSeenAt,
    knownSinceAt: known.at,
    ageBasis: known.basis,
    lastTrafficAt,
    status: statusOf(input, reasons, ctx.now),
    staleReasons: reasons,
  };
}

/**
 * Since when the mapping is known to exist (issue 11, "Age that is true"). PortPilot saw it first at
 * `firstSeenAt` — on a new router, or a demo run, that is seconds ago even for a mapping of a device
 * that left days ago. A device asks for its own mappings while it is on the network, so a mapping
 * whose device is gone existed at least since the device was last seen (DHCP lease `last-seen`, ARP):
 * the earlier of the two is a true lower bound of its age.
 */
export function knownSince(
  firstSeenAt: number,
  host: { present: boolean; lastSeenAt: number | null } | undefined,
): { at: number; basis: 'first-seen' | 'owner-last-seen' } {
  const left = host && !host.present ? host.lastSeenAt : null;
  return left !== null && left < firstSeenAt
    ? { at: left, basis: 'owner-last-seen' }
    : { at: firstSeenAt, basis: 'first-seen' };
}

/** Cheap change test for 10,000 views on every enrichment pass. */
export function sameView(a: MappingView, b: MappingView): boolean {
  return (
    a.status === b.status &&
    a.lastTrafficAt === b.lastTrafficAt &&
    a.knownSinceAt === b.knownSinceAt &&
    a.enabled === b.enabled &&
    a.description === b.description &&
    a.internalAddress === b.internalAddress &&
    a.internalPort === b.internalPort &&
    a.upnpMappingId === b.upnpMappingId &&
    a.ruleIds.join() === b.ruleIds.join() &&
    a.owner.hostName === b.owner.hostName &&
    a.owner.present === b.owner.present &&
    a.owner.vendor === b.owner.vendor &&
    a.owner.interface === b.owner.interface &&
    a.staleReasons.map((r) => r.code).join() === b.staleReasons.map((r) => r.code).join()
  );
}

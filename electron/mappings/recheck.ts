/**
 * Right before removal, for a batch of mappings at once (one print per batch, not per mapping): each
 * must still be the same dynamic rule (same protocol, port, internal host) — a static rule is never
 * removed — and, in a cleanup, must not have become active again (owner back, live connection).
 */
import type { RouterPort } from '../core/router-port';
import type { MappingsClock } from './clock';
import { connectionKey } from './enrichment';
import { factsFromRule, splitHostPort } from './model';
import { UPNP_MAPPINGS_MENU } from './monitor';
import { REASONS } from './cleanup-reasons';
import type { Entry } from './cleanup-target';
import { ruleIdentity, type RuleIdentity } from './strategies';

const PRESENCE_TTL_MS = 1000;

export type { Entry } from './cleanup-target';

/** id → why it must not be removed now (absent = still the same dynamic mapping). */
export async function recheckIdentity(router: RouterPort, entries: Entry[]): Promise<Map<string, string>> {
  const skip = new Map<string, string>();
  await Promise.all(
    entries.map(async (e) => {
      for (const ruleId of e.ruleIds) {
        const reason = identityProblem(e, await ruleIdentity(router, ruleId));
        if (reason) skip.set(e.id, reason);
      }
      if (e.ruleIds.length === 0 && e.upnpMappingId) {
        const [found] = await router.print(UPNP_MAPPINGS_MENU, { query: [`?.id=${e.upnpMappingId}`] });
        if (!found) skip.set(e.id, REASONS.alreadyGone);
      }
    }),
  );
  return skip;
}

function identityProblem(e: Entry, rule: RuleIdentity | null): string | null {
  if (!rule) return REASONS.alreadyGone;
  if (rule.dynamic !== 'true') return REASONS.notDynamic;
  const row = {
    dynamic: 'true',
    chain: 'dstnat',
    action: 'dst-nat',
    protocol: rule.protocol,
    'dst-port': rule.dstPort,
    'to-addresses': rule.toAddresses,
  };
  const facts = factsFromRule(row);
  if (!facts || facts.id !== e.id || facts.internalAddress !== e.internalAddress) return REASONS.changed;
  return null;
}

/** Owners and connections read at most once a second during a run (many mappings share an owner). */
export class PresenceCache {
  private owners = new Map<string, { at: number; present: Promise<boolean> }>();
  private conns: { at: number; keys: Promise<Set<string>> } | null = null;

  constructor(
    private readonly router: RouterPort,
    private readonly clock: MappingsClock,
  ) {}

  async activeReason(e: Entry): Promise<string | null> {
    const ownerGone = e.reasons.some((r) => r.code === 'owner-gone');
    if (ownerGone && (await this.present(e.internalAddress))) return REASONS.ownerBack;
    if ((await this.connections()).has(connectionKey(e.protocol, e.internalAddress, e.internalPort))) {
      return REASONS.connection;
    }
    return null;
  }

  private connections(): Promise<Set<string>> {
    const now = this.clock.now();
    if (this.conns && now - this.conns.at < PRESENCE_TTL_MS) return this.conns.keys;
    const keys = this.router
      .print('/ip/firewall/connection', { query: ['?dstnat=true'], proplist: ['protocol', 'reply-src-address'] })
      .then((rows) => {
        const set = new Set<string>();
        for (const c of rows) {
          const hp = splitHostPort(c['reply-src-address']);
          if (hp) set.add(connectionKey(c['protocol'] ?? '', hp[0], hp[1]));
        }
        return set;
      });
    this.conns = { at: now, keys };
    return keys;
  }

  private present(address: string): Promise<boolean> {
    const now = this.clock.now();
    const cached = this.owners.get(address);
    if (cached && now - cached.at < PRESENCE_TTL_MS) return cached.present;
    const present = Promise.all([
      this.router.print('/ip/arp', { query: [`?address=${address}`], proplist: ['status', 'disabled'] }),
      this.router.print('/ip/dhcp-server/lease', { query: [`?address=${address}`], proplist: ['status'] }),
    ]).then(
      ([arp, leases]) =>
        arp.some((a) => a['status'] !== 'failed' && a['status'] !== 'incomplete' && a['disabled'] !== 'true') ||
        leases.some((l) => l['status'] === 'bound'),
    );
    this.owners.set(address, { at: now, present });
    return present;
  }
}

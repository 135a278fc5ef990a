/**
 * Stale rules (issue 5): a mapping is stale when its owner left the network longer ago than a
 * threshold (no ARP entry and no bound DHCP lease), when it carried no traffic for longer than a
 * threshold, or when its internal address is in no internal interface's subnet (UPnP only maps for
 * internal hosts: a foreign address means the LAN was renumbered or the rule is left over).
 */
import type { MappingSource, MappingsSettings, MappingStatus, StaleReason } from '../../shared/domains/mappings';
import type { HostInfo } from './enrichment';
import { inSubnet, type Subnet } from './model';

/** Traffic within this window counts as "active" in the status column (not a stale rule). */
export const ACTIVE_WINDOW_MS = 5 * 60_000;

export interface StaleInput {
  enabled: boolean;
  internalAddress: string;
  source: MappingSource;
  host: HostInfo | undefined;
  firstSeenAt: number;
  lastTrafficAt: number | null;
  /** Internal subnets of the mapping's service; empty = unknown (no subnet verdict). */
  subnets: Subnet[];
  /** Whether internalAddress is in one of `subnets`, when the caller already knows (ViewMemo). */
  inSubnet?: boolean;
}

export function formatAgo(ms: number): string {
  const m = Math.floor(ms / 60_000);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h`;
  return `${Math.floor(h / 24)} days`;
}

export function staleReasons(input: StaleInput, settings: MappingsSettings, now: number): StaleReason[] {
  const reasons: StaleReason[] = [];
  const { host } = input;
  if (!host?.present) {
    const since = host?.lastSeenAt ?? input.firstSeenAt;
    if (now - since > settings.ownerGoneMinutes * 60_000) {
      const who = host?.hostName ?? input.internalAddress;
      reasons.push({
        code: 'owner-gone',
        detail: `${who} left the network ${formatAgo(now - since)} ago (no ARP entry, no bound DHCP lease)`,
      });
    }
  }
  const quietSince = input.lastTrafficAt ?? input.firstSeenAt;
  if (now - quietSince > settings.idleDays * 86_400_000) {
    reasons.push({ code: 'idle', detail: `no traffic for ${formatAgo(now - quietSince)}` });
  }
  if (
    settings.checkSubnet &&
    input.subnets.length > 0 &&
    !(input.inSubnet ?? input.subnets.some((s) => inSubnet(input.internalAddress, s)))
  ) {
    const nets = input.subnets.map((s) => `${s.cidr} (${s.interface})`).join(', ');
    reasons.push({ code: 'outside-subnet', detail: `${input.internalAddress} is in no internal subnet: ${nets}` });
  }
  return reasons;
}

export function statusOf(input: StaleInput, reasons: StaleReason[], now: number): MappingStatus {
  if (!input.enabled) return 'disabled';
  if (reasons.length > 0) return 'stale';
  if (input.lastTrafficAt !== null && now - input.lastTrafficAt <= ACTIVE_WINDOW_MS) return 'active';
  return 'idle';
}

export function subnetsFor(source: StaleInput['source'], subnets: { upnp: Subnet[]; natPmp: Subnet[] }): Subnet[] {
  if (source === 'nat-pmp') return subnets.natPmp.length > 0 ? subnets.natPmp : subnets.upnp;
  return subnets.upnp.length > 0 ? subnets.upnp : subnets.natPmp;
}

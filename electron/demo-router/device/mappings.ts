/** The live mappings of both services, indexed by protocol + external port (one NAT rule each). */
import type { MappingEntry, MappingProtocol, MappingSource } from '../mapping-backend';

export interface Mapping {
  source: MappingSource;
  protocol: MappingProtocol;
  externalPort: number;
  internalAddress: string;
  internalPort: number;
  description: string;
  remoteHost: string;
  enabled: boolean;
  /** Lease asked for (s), 0 = permanent; clients renew at half of it. */
  leaseSeconds: number;
  /** Epoch ms; null = permanent. */
  expiresAt: number | null;
  ruleId: string;
  /** The peer that asked for it; it may delete it too (a PC mapping a port for a console). */
  requestedBy: string;
}

/** A mapping as a scenario seeds it, or as an app on the LAN keeps asking for it (DemoDevice.clients). */
export interface SeedMapping {
  source?: MappingSource;
  protocol: MappingProtocol;
  port: number;
  internalPort?: number;
  address: string;
  description: string;
  leaseSeconds?: number;
}

export const mappingKey = (protocol: MappingProtocol, port: number): string => `${protocol}/${port}`;

export class MappingStore {
  private readonly byKey = new Map<string, Mapping>();
  private readonly byRule = new Map<string, Mapping>();
  /** Mappings with a lease, so the expiry sweep does not scan 10,000 permanent ones. */
  readonly leased = new Set<Mapping>();
  /** Bumped on every change, so listings can be cached between changes. */
  version = 0;

  /** A mapping's fields changed in place (update, lease renewal). */
  changed(): void {
    this.version++;
  }

  get size(): number {
    return this.byKey.size;
  }

  get(protocol: MappingProtocol, port: number): Mapping | undefined {
    return this.byKey.get(mappingKey(protocol, port));
  }

  byRuleId(id: string): Mapping | undefined {
    return this.byRule.get(id);
  }

  put(m: Mapping): void {
    const key = mappingKey(m.protocol, m.externalPort);
    const old = this.byKey.get(key);
    if (old) this.delete(old);
    this.byKey.set(key, m);
    this.byRule.set(m.ruleId, m);
    if (m.expiresAt !== null) this.leased.add(m);
    this.version++;
  }

  delete(m: Mapping): void {
    this.byKey.delete(mappingKey(m.protocol, m.externalPort));
    this.byRule.delete(m.ruleId);
    this.leased.delete(m);
    this.version++;
  }

  /** Insertion order = creation order: the index order of GetGenericPortMappingEntry. */
  list(source?: MappingSource): Mapping[] {
    const all = [...this.byKey.values()];
    return source ? all.filter((m) => m.source === source) : all;
  }

  findByInternal(source: MappingSource, protocol: MappingProtocol, address: string, port: number): Mapping | undefined {
    for (const m of this.byKey.values()) {
      if (m.source === source && m.protocol === protocol && m.internalAddress === address && m.internalPort === port) {
        return m;
      }
    }
    return undefined;
  }
}

export function toEntry(m: Mapping, now: number): MappingEntry {
  return {
    source: m.source,
    protocol: m.protocol,
    externalPort: m.externalPort,
    internalAddress: m.internalAddress,
    internalPort: m.internalPort,
    description: m.description,
    leaseSeconds: m.expiresAt === null ? 0 : Math.max(1, Math.ceil((m.expiresAt - now) / 1000)),
    remoteHost: m.remoteHost,
    enabled: m.enabled,
  };
}

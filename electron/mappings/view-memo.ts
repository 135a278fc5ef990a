/**
 * What thousands of views share, computed once per address or MAC instead of once per mapping
 * (issue 14: the 10,000-mapping snapshot is ~116 distinct hosts, yet every row ran the OUI lookup's
 * regex, built its own owner object and tested its address against every subnet). A memo is valid for
 * one enrichment and vendor table — both are replaced, never mutated, when they change — and
 * `current()` hands out a fresh one when either did.
 */
import type { MappingOwner } from '../../shared/domains/mappings';
import type { Enrichment, HostInfo } from './enrichment';
import { inSubnet, type Subnet } from './model';
import type { VendorLookup } from './oui';

export class ViewMemo {
  private readonly owners = new Map<string, MappingOwner>();
  private readonly vendors = new Map<string, string | null>();
  private readonly inSubnets = new Map<Subnet[], Map<string, boolean>>();

  constructor(
    readonly enrichment: Enrichment,
    readonly vendor: VendorLookup | null,
  ) {}

  /** The owner of an address; one shared object per address (views are never mutated). */
  owner(address: string, host: HostInfo | undefined): MappingOwner {
    let owner = this.owners.get(address);
    if (!owner) {
      owner = {
        hostName: host?.hostName ?? null,
        mac: host?.mac ?? null,
        vendor: this.vendorOf(host?.mac),
        interface: host?.interface ?? null,
        present: host?.present ?? false,
        lastSeenAt: host?.lastSeenAt ?? null,
      };
      this.owners.set(address, owner);
    }
    return owner;
  }

  private vendorOf(mac: string | null | undefined): string | null {
    if (!this.vendor || !mac) return this.vendor?.(mac) ?? null;
    let v = this.vendors.get(mac);
    if (v === undefined) {
      v = this.vendor(mac);
      this.vendors.set(mac, v);
    }
    return v;
  }

  /** Whether the address lies in one of these subnets (one of the enrichment's lists). */
  inAny(address: string, subnets: Subnet[]): boolean {
    let byAddress = this.inSubnets.get(subnets);
    if (!byAddress) this.inSubnets.set(subnets, (byAddress = new Map()));
    let inside = byAddress.get(address);
    if (inside === undefined) {
      inside = subnets.some((s) => inSubnet(address, s));
      byAddress.set(address, inside);
    }
    return inside;
  }
}

/** Keeps one memo while its inputs stay the same objects. */
export class ViewMemoCache {
  private memo: ViewMemo | null = null;

  current(enrichment: Enrichment, vendor: VendorLookup | null): ViewMemo {
    const m = this.memo;
    if (m && m.enrichment === enrichment && m.vendor === vendor) return m;
    this.memo = new ViewMemo(enrichment, vendor);
    return this.memo;
  }
}

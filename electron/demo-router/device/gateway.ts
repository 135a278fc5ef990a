/**
 * How a mapping service (UPnP or NAT-PMP) sees the router: which interfaces are internal/external,
 * the internal subnets, the external address. Pure reads of the device tables.
 */
import type { Row } from '../api-device';
import type { MappingSource } from '../mapping-backend';
import { cidrRange, inRange, parseCidr, type Ipv4Range } from '../../net/ipv4';
import type { Table } from './table';

export interface GatewayTables {
  table(path: string): Table;
}

export const SERVICE_PATHS: Record<MappingSource, { settings: string; interfaces: string }> = {
  upnp: { settings: '/ip/upnp', interfaces: '/ip/upnp/interfaces' },
  'nat-pmp': { settings: '/ip/nat-pmp', interfaces: '/ip/nat-pmp/interfaces' },
};

export class GatewayView {
  constructor(
    private readonly dev: GatewayTables,
    readonly source: MappingSource,
  ) {}

  serviceEnabled(): boolean {
    return this.dev.table(SERVICE_PATHS[this.source].settings).singleton().enabled === 'true';
  }

  private serviceInterfaces(type: 'internal' | 'external'): Row[] {
    return this.dev
      .table(SERVICE_PATHS[this.source].interfaces)
      .all()
      .filter((r) => r.type === type && r.disabled !== 'true' && r.invalid !== 'true');
  }

  hasInternal(): boolean {
    return this.serviceInterfaces('internal').length > 0;
  }

  externalEntry(): Row | undefined {
    return this.serviceInterfaces('external')[0];
  }

  externalInterfaceRow(): Row | undefined {
    const name = this.externalEntry()?.interface;
    return this.dev
      .table('/interface')
      .all()
      .find((r) => r.name === name);
  }

  externalUp(): boolean {
    const row = this.externalInterfaceRow();
    return !!row && row.disabled !== 'true' && row.running !== 'false';
  }

  /** forced-ip wins (RouterOS: "forced-ip: allow to specify what public IP to use"), else the interface address. */
  externalAddress(): string | null {
    const entry = this.externalEntry();
    if (!entry) return null;
    if (entry['forced-ip']) return entry['forced-ip'];
    const row = this.dev
      .table('/ip/address')
      .all()
      .find((a) => a.interface === entry.interface && a.disabled !== 'true');
    return row?.address?.split('/')[0] ?? null;
  }

  /**
   * Subnets of the internal interfaces. A bridge port listed as internal counts as its bridge, because
   * the bridge holds the addresses (RouterOS bridging: ports carry no L3 config of their own).
   */
  internalSubnets(): Ipv4Range[] {
    const names = new Set<string>();
    const ports = this.dev.table('/interface/bridge/port').all();
    for (const entry of this.serviceInterfaces('internal')) {
      const name = entry.interface ?? '';
      names.add(name);
      const port = ports.find((p) => p.interface === name && p.disabled !== 'true');
      if (port?.bridge) names.add(port.bridge);
    }
    const out: Ipv4Range[] = [];
    for (const a of this.dev.table('/ip/address').all()) {
      if (a.disabled === 'true' || a.invalid === 'true' || !names.has(a.interface ?? '')) continue;
      const cidr = parseCidr(a.address ?? '');
      if (cidr) out.push(cidrRange(cidr));
    }
    return out;
  }

  isInternal(ip: string, subnets = this.internalSubnets()): boolean {
    return subnets.some((range) => inRange(ip, range));
  }

  /**
   * A peer outside every simulated subnet reached the face over a real socket (the PC running
   * PortPilot, upnpc, natpmpc on loopback). The demo router stands for the user's router, so such a
   * peer counts as a host on the internal side.
   */
  isRealPeer(ip: string): boolean {
    const bare = ip.replace(/^::ffff:/, '');
    if (bare === '::1') return true;
    return !this.dev
      .table('/ip/address')
      .all()
      .some((a) => {
        const cidr = parseCidr(a.address ?? '');
        return cidr !== null && inRange(bare, cidrRange(cidr));
      });
  }
}

// Fakes for the engine's unit tests: an in-memory IGD and NAT-PMP gateway that write the dynamic NAT
// rules a RouterOS router would, and a small RouterPort over plain rows.
import { printEachVia, type RawRow, type RouterPort } from '../core/router-port';
import type { DescribedGateway } from '../igd-client/gateways';
import type { AddPortMappingRequest, PortMapping } from '../igd-client/igd-client';
import type { NatPmpMapping } from '../igd-client/natpmp';
import type { IgdPort, NatPmpPort, SelfTestPorts } from './ports';

export class FakeRouter implements RouterPort {
  capabilities = {
    identity: 'Test',
    version: '7.18',
    board: 'CHR',
    architecture: 'x86_64',
    uptimeSeconds: 1,
    menus: { upnpPermissions: false, upnpMappings: false, natPmp: true },
  };
  menus: Record<string, RawRow[]> = {
    '/ip/upnp': [{ enabled: 'true' }],
    '/ip/upnp/interfaces': [
      { '.id': '*1', interface: 'bridge', type: 'internal', disabled: 'false' },
      { '.id': '*2', interface: 'ether1', type: 'external', disabled: 'false' },
    ],
    '/ip/address': [{ address: '81.2.69.142/24', interface: 'ether1', disabled: 'false' }],
    '/ip/firewall/nat': [],
    '/ip/upnp/permissions': [],
    '/ip/nat-pmp': [{ enabled: 'true' }],
  };
  async print(menu: string, options: { query?: string[] } = {}): Promise<RawRow[]> {
    const rows = this.menus[menu];
    if (!rows) throw Object.assign(new Error('no such command or directory'), { category: 0 });
    const conds = (options.query ?? []).map((q) => q.slice(1).split('='));
    return rows.filter((r) => conds.every(([k = '', v]) => r[k] === v)).map((r) => ({ ...r }));
  }
  printEach = printEachVia((menu, options) => this.print(menu, options));
  async add(): Promise<string> {
    throw new Error('not used');
  }
  async set(): Promise<void> {}
  async remove(): Promise<void> {}
  async command(): Promise<{ ret?: string }> {
    return {};
  }
  listen(): { cancel(): Promise<void> } {
    return { cancel: async () => {} };
  }
  rule(source: string, protocol: string, port: number, to: string, toPort: number, desc: string): void {
    this.menus['/ip/firewall/nat']?.push({
      '.id': `*${port}${source}`,
      chain: 'dstnat',
      action: 'dst-nat',
      protocol,
      'dst-port': String(port),
      'to-addresses': to,
      'to-ports': String(toPort),
      dynamic: 'true',
      comment: `${source} ${to}: ${desc}`,
    });
  }
  dropRule(source: string, port: number): void {
    const nat = this.menus['/ip/firewall/nat'] ?? [];
    this.menus['/ip/firewall/nat'] = nat.filter((r) => r['.id'] !== `*${port}${source}`);
  }
}

type Hook = (req: AddPortMappingRequest, attempt: number) => Error | undefined;

export class FakeIgd implements IgdPort {
  readonly table = new Map<number, PortMapping>();
  externalIp = '81.2.69.142';
  onAdd: Hook = () => undefined;
  onDelete: (port: number, attempt: number) => Error | undefined = () => undefined;
  addCalls: AddPortMappingRequest[] = [];
  deleteCalls = 0;
  failList: Error | null = null;
  constructor(
    readonly description: DescribedGateway['description'] & object,
    private readonly router: FakeRouter | null,
  ) {}
  async getExternalIPAddress(): Promise<string> {
    return this.externalIp;
  }
  async addPortMapping(m: AddPortMappingRequest): Promise<void> {
    this.addCalls.push(m);
    const err = this.onAdd(m, this.addCalls.length);
    if (err) throw err;
    const entry: PortMapping = {
      remoteHost: '',
      externalPort: m.externalPort,
      protocol: m.protocol,
      internalPort: m.internalPort,
      internalClient: m.internalClient,
      enabled: true,
      description: m.description ?? '',
      leaseDuration: m.leaseDuration ?? 0,
    };
    this.table.set(m.externalPort, entry);
    this.router?.rule('upnp', 'tcp', m.externalPort, m.internalClient, m.internalPort, entry.description);
  }
  async deletePortMapping(port: number, _protocol: 'TCP' | 'UDP' = 'TCP'): Promise<void> {
    const err = this.onDelete(port, ++this.deleteCalls);
    if (err) throw err;
    this.table.delete(port);
    this.router?.dropRule('upnp', port);
  }
  async getSpecificPortMappingEntry(port: number): Promise<PortMapping | null> {
    return this.table.get(port) ?? null;
  }
  async listPortMappings(): Promise<PortMapping[]> {
    if (this.failList) throw this.failList;
    return [...this.table.values()];
  }
}

export class FakeNatPmp implements NatPmpPort {
  readonly mapped = new Map<number, number>();
  external = '81.2.69.142';
  mapError: Error | null = null;
  unmapErrors: Error[] = [];
  constructor(
    private readonly router: FakeRouter | null,
    private readonly clientIp = '192.168.88.30',
  ) {}
  async externalAddress(): Promise<{ address: string; epoch: number }> {
    return { address: this.external, epoch: 7 };
  }
  async map(req: {
    protocol: 'tcp' | 'udp';
    internalPort: number;
    suggestedExternalPort?: number;
    lifetime?: number;
  }): Promise<NatPmpMapping> {
    if (this.mapError) throw this.mapError;
    const externalPort = req.suggestedExternalPort ?? req.internalPort;
    this.mapped.set(req.internalPort, externalPort);
    this.router?.rule(
      'nat-pmp',
      req.protocol,
      externalPort,
      this.clientIp,
      req.internalPort,
      `NAT-PMP ${req.internalPort} ${req.protocol}`,
    );
    return {
      protocol: req.protocol,
      internalPort: req.internalPort,
      externalPort,
      lifetime: req.lifetime ?? 7200,
      epoch: 7,
    };
  }
  async unmap(req: { protocol: 'tcp' | 'udp'; internalPort: number }): Promise<void> {
    const err = this.unmapErrors.shift();
    if (err) throw err;
    const ext = this.mapped.get(req.internalPort);
    this.mapped.delete(req.internalPort);
    if (ext !== undefined) this.router?.dropRule('nat-pmp', ext);
  }
}

export function describedGateway(opts: { routerOs: boolean; location?: string }): DescribedGateway {
  const location = opts.location ?? 'http://192.168.88.1:2828/gateway.xml';
  const host = new URL(location).hostname;
  return {
    gateway: {
      location,
      usn: 'uuid:x',
      server: opts.routerOs ? 'RouterOS/7.18 UPnP/1.0 MikroTik UPnP/1.0' : 'Debian/12 UPnP/1.1 MiniUPnPd/2.3.1',
      searchTargets: [],
      responder: { address: host, port: 1900 },
      localAddress: '192.168.88.30',
      isRouterOs: opts.routerOs,
    },
    description: {
      location,
      deviceType: 'urn:schemas-upnp-org:device:InternetGatewayDevice:1',
      igdVersion: 1,
      friendlyName: opts.routerOs ? 'MikroTik' : 'miniupnpd',
      manufacturer: opts.routerOs ? 'MikroTik' : 'miniupnpd',
      modelName: opts.routerOs ? 'RouterOS' : 'router',
      isRouterOs: opts.routerOs,
      service: {
        serviceType: 'urn:schemas-upnp-org:service:WANIPConnection:1',
        kind: 'WANIPConnection',
        version: 1,
        controlUrl: `http://${host}:2828/upnp/control/WANIPConnection`,
      },
    },
    isRouterOs: opts.routerOs,
  };
}

export interface FakeWorld {
  ports: SelfTestPorts;
  igd: FakeIgd;
  natpmp: FakeNatPmp;
  router: FakeRouter | null;
  gateways: DescribedGateway[];
}

/** A LAN with one gateway (RouterOS unless told otherwise), this PC at 192.168.88.30. */
export function fakeWorld(opts: { routerOs?: boolean; router?: boolean } = {}): FakeWorld {
  const router = opts.router === false ? null : new FakeRouter();
  const gw = describedGateway({ routerOs: opts.routerOs ?? true });
  const igd = new FakeIgd(gw.description ?? (undefined as never), router);
  const natpmp = new FakeNatPmp(router);
  const world: FakeWorld = { igd, natpmp, router, gateways: [gw], ports: undefined as never };
  let t = 1_700_000_000_000;
  let seq = 0;
  world.ports = {
    findGateways: async () => world.gateways,
    describeUrl: async (url) => describedGateway({ routerOs: opts.routerOs ?? true, location: url }),
    igdClient: () => igd,
    natPmpClient: () => natpmp,
    defaultGateway: async () => '192.168.88.1',
    localAddressToward: async () => '192.168.88.30',
    router,
    now: () => (t += 5),
    // Deterministic test ports: 45000, 45001, …
    random: (n) => (n === 20000 ? 5000 + seq++ : 42),
  };
  return world;
}

// Fakes for the engine's unit tests: an in-memory IGD and NAT-PMP gateway that write the dynamic NAT
// rules a RouterOS router would, and a small RouterPort over plain rows.
import { printEachVia, type RawRow, type RouterPort } from '../core/router-port';
import type { DescribedGateway } from '../igd-client/gateways';
import type { AddPortMappingRequest, PortMapping } from '../igd-client/igd-client';
import type { EpochReset, NatPmpMapping } from '../igd-client/natpmp';
import type { IgdPort, NatPmpPort, SelfTestPorts } from './ports';
import { listAdapters } from '../igd-client/adapters';

/** This PC in the fakes: Ethernet on the router's LAN, plus the WSL switch every gamer's PC has. */
export const FAKE_PC = {
  Ethernet: [
    {
      address: '192.168.88.30',
      netmask: '255.255.255.0',
      family: 'IPv4' as const,
      mac: 'a4:bb:6d:12:34:56',
      internal: false,
      cidr: '192.168.88.30/24',
    },
  ],
  'vEthernet (WSL)': [
    {
      address: '172.29.160.1',
      netmask: '255.255.240.0',
      family: 'IPv4' as const,
      mac: '00:15:5d:8a:41:07',
      internal: false,
      cidr: '172.29.160.1/20',
    },
  ],
};

export class FakeRouter implements RouterPort {
  capabilities: RouterPort['capabilities'] = {
    identity: 'Test',
    version: '7.18',
    board: 'CHR',
    architecture: 'x86_64',
    uptimeSeconds: 1,
    menus: { upnpPermissions: false, upnpMappings: false, natPmp: true },
    policy: { user: 'admin', group: 'full', read: true, write: true, reboot: true, api: true },
    encryption: 'none',
  };
  menus: Record<string, RawRow[]> = {
    '/ip/upnp': [{ enabled: 'true' }],
    '/ip/upnp/interfaces': [
      { '.id': '*1', interface: 'bridge', type: 'internal', disabled: 'false' },
      { '.id': '*2', interface: 'ether1', type: 'external', disabled: 'false' },
    ],
    '/ip/address': [
      { address: '81.2.69.142/24', interface: 'ether1', disabled: 'false' },
      { address: '192.168.88.1/24', interface: 'bridge', disabled: 'false' },
    ],
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
  /** What the gateway grants instead of the requested lifetime (a broken or hostile gateway). */
  offeredLifetime: number | null = null;
  /** Called after each map: a test may reboot the gateway there. */
  afterMap: (() => void) | null = null;
  private epoch = 7;
  private pendingReset: EpochReset | null = null;
  constructor(
    private readonly router: FakeRouter | null,
    private readonly clientIp = '192.168.88.30',
  ) {}
  /** The gateway restarts: its mappings (and their router rules) are gone, its epoch starts again. */
  reboot(): void {
    for (const ext of this.mapped.values()) this.router?.dropRule('nat-pmp', ext);
    this.mapped.clear();
    this.pendingReset = { previousEpoch: this.epoch, expectedAtLeast: this.epoch - 2, epoch: 0 };
    this.epoch = 0;
  }
  private takeReset(): EpochReset | null {
    const r = this.pendingReset;
    this.pendingReset = null;
    return r;
  }
  async externalAddress(): Promise<{ address: string; epoch: number; reset: EpochReset | null }> {
    return { address: this.external, epoch: this.epoch, reset: this.takeReset() };
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
    const asked = req.lifetime ?? 7200;
    const offered = this.offeredLifetime;
    const result: NatPmpMapping = {
      protocol: req.protocol,
      internalPort: req.internalPort,
      externalPort,
      lifetime: asked,
      ...(offered !== null && offered > asked ? { offeredLifetime: offered } : {}),
      epoch: this.epoch,
      reset: this.takeReset(),
    };
    this.afterMap?.();
    return result;
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
      adapter: 'Ethernet',
      heardOn: [{ adapter: 'Ethernet', localAddress: '192.168.88.30' }],
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
  /** Where each NAT-PMP client was pointed. */
  natPmpTargets: Array<{ host: string; port: number }>;
}

/** A LAN with one gateway (RouterOS unless told otherwise), this PC at 192.168.88.30. */
export function fakeWorld(opts: { routerOs?: boolean; router?: boolean } = {}): FakeWorld {
  const router = opts.router === false ? null : new FakeRouter();
  const gw = describedGateway({ routerOs: opts.routerOs ?? true });
  const igd = new FakeIgd(gw.description ?? (undefined as never), router);
  const natpmp = new FakeNatPmp(router);
  const world: FakeWorld = { igd, natpmp, router, gateways: [gw], natPmpTargets: [], ports: undefined as never };
  let t = 1_700_000_000_000;
  let seq = 0;
  world.ports = {
    findGateways: async () => world.gateways,
    describeUrl: async (url) => describedGateway({ routerOs: opts.routerOs ?? true, location: url }),
    igdClient: () => igd,
    natPmpClient: (target) => (world.natPmpTargets.push(target), natpmp),
    defaultRoute: async () => ({
      gateway: '192.168.88.1',
      iface: 'Ethernet',
      localAddress: '192.168.88.30',
      adapter: null,
      internetVia: null,
      evidence: ['default gateway 192.168.88.1 on "Ethernet" (this PC: 192.168.88.30): the only default route'],
    }),
    adapters: () => listAdapters(FAKE_PC),
    localAddressToward: async () => '192.168.88.30',
    router,
    now: () => (t += 5),
    // Deterministic test ports: 45000, 45001, …
    random: (n) => (n === 20000 ? 5000 + seq++ : 42),
  };
  return world;
}

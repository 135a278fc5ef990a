/**
 * In-memory MappingBackend for the IGD and NAT-PMP face tests. It behaves like RouterOS 7
 * (routeros-facts.md): permanent leases only for UPnP (725), one dynamic rule per external
 * port and protocol shared by UPnP and NAT-PMP, another host's port is a conflict (718),
 * a denied port range is refused (606), a disabled service refuses everything.
 * The test controls are plain mutable fields plus restart()/setClock().
 */
import type {
  GatewayStatus,
  MappingBackend,
  MappingEntry,
  MappingProtocol,
  MappingRefusal,
  MappingRequest,
  MappingResult,
  MappingSource,
} from '../../mapping-backend';

export interface FakeBackendConfig {
  profile: 'routeros7' | 'seed';
  igdVersion: 1 | 2;
  upnpEnabled: boolean;
  natPmpEnabled: boolean;
  externalAddress: string | null;
  externalUp: boolean;
  /** Address prefixes (string prefix match) counted as internal interfaces. */
  internalPrefixes: string[];
  /** Port ranges refused like a RouterOS/seed permission with action=deny. */
  deniedPorts: { protocol?: MappingProtocol; from: number; to: number }[];
  showDummyRule: boolean;
  allowDisableExternal: boolean;
  /** Largest number of mappings before out-of-resources (728 / NAT-PMP 4). */
  maxMappings: number;
}

type Refused = { ok: false; refusal: MappingRefusal; detail: string };

const refuse = (refusal: MappingRefusal, detail: string): Refused => ({ ok: false, refusal, detail });

export class FakeMappingBackend implements MappingBackend {
  readonly config: FakeBackendConfig;
  /** Every add/remove the faces made, for assertions. */
  readonly calls: string[] = [];
  private readonly mappings = new Map<string, MappingEntry>();
  private readonly listeners = new Set<() => void>();
  private startedAt: number;
  private clock: () => number = () => Date.now();

  constructor(config: Partial<FakeBackendConfig> = {}) {
    this.config = {
      profile: 'routeros7',
      igdVersion: 1,
      upnpEnabled: true,
      natPmpEnabled: true,
      externalAddress: '198.51.100.7',
      externalUp: true,
      internalPrefixes: ['127.', '192.168.88.'],
      deniedPorts: [],
      showDummyRule: true,
      allowDisableExternal: false,
      maxMappings: 1000,
      ...config,
    };
    this.startedAt = this.clock();
  }

  get profile(): 'routeros7' | 'seed' {
    return this.config.profile;
  }

  setClock(clock: () => number): void {
    this.clock = clock;
    this.startedAt = clock();
  }

  /** Like a change under /ip upnp: the service restarts and dynamic mappings are flushed. */
  restart(): void {
    this.mappings.clear();
    this.startedAt = this.clock();
    for (const listener of this.listeners) listener();
  }

  igdVersion(): 1 | 2 {
    return this.config.igdVersion;
  }

  upnpStatus(): GatewayStatus & { showDummyRule: boolean; allowDisableExternal: boolean } {
    return {
      ...this.status(this.config.upnpEnabled),
      showDummyRule: this.config.showDummyRule,
      allowDisableExternal: this.config.allowDisableExternal,
    };
  }

  natPmpStatus(): GatewayStatus {
    return this.status(this.config.natPmpEnabled);
  }

  add(request: MappingRequest): MappingResult {
    this.calls.push(`add ${request.source} ${request.protocol} ${request.externalPort}`);
    const refused = this.checkRequest(request);
    if (refused) return refused;
    let port = request.externalPort;
    const holder = this.holder(request.protocol, port);
    const taken = port === 0 || (holder !== undefined && holder.internalAddress !== request.internalAddress);
    if (taken) {
      if (!request.allowAlternativePort) {
        return refuse('conflict', `port ${port}/${request.protocol} is mapped to ${holder?.internalAddress}`);
      }
      const free = this.freePort(request.protocol, request.internalPort);
      if (free === undefined) return refuse('out-of-resources', 'no free external port');
      port = free;
    } else if (!holder && this.mappings.size >= this.config.maxMappings) {
      return refuse('out-of-resources', 'mapping table is full');
    }
    const entry: MappingEntry = {
      source: request.source,
      protocol: request.protocol,
      externalPort: port,
      internalAddress: request.internalAddress,
      internalPort: request.internalPort,
      description: request.description,
      leaseSeconds: request.leaseSeconds,
      remoteHost: request.remoteHost,
      enabled: request.enabled,
    };
    // Same host asking again for its port: the new request replaces the old rule.
    if (holder && !taken) this.mappings.delete(key(holder.source, holder.protocol, holder.externalPort));
    this.mappings.set(key(entry.source, entry.protocol, entry.externalPort), entry);
    return { ok: true, entry };
  }

  remove(
    source: MappingSource,
    protocol: MappingProtocol,
    externalPort: number,
    clientAddress: string,
  ): { ok: true } | Refused {
    this.calls.push(`remove ${source} ${protocol} ${externalPort}`);
    const enabled = source === 'upnp' ? this.config.upnpEnabled : this.config.natPmpEnabled;
    if (!enabled) return refuse('disabled', 'service disabled');
    if (!this.isInternal(clientAddress)) return refuse('not-internal', `${clientAddress} is not internal`);
    const entry = this.mappings.get(key(source, protocol, externalPort));
    if (!entry) return refuse('not-found', `no ${protocol} mapping on port ${externalPort}`);
    if (entry.internalAddress !== clientAddress) {
      return refuse('denied', `mapping belongs to ${entry.internalAddress}`);
    }
    this.mappings.delete(key(source, protocol, externalPort));
    return { ok: true };
  }

  get(source: MappingSource, protocol: MappingProtocol, externalPort: number): MappingEntry | undefined {
    return this.mappings.get(key(source, protocol, externalPort));
  }

  list(source: MappingSource): MappingEntry[] {
    return [...this.mappings.values()].filter((m) => m.source === source);
  }

  forceTermination(): { ok: true } | Refused {
    if (!this.config.upnpEnabled) return refuse('disabled', 'UPnP disabled');
    if (!this.config.allowDisableExternal) {
      return refuse('denied', 'allow-disable-external-interface=no');
    }
    this.config.externalUp = false;
    return { ok: true };
  }

  onRestart(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private status(enabled: boolean): GatewayStatus {
    return {
      enabled,
      externalUp: this.config.externalUp,
      externalAddress: this.config.externalAddress,
      uptimeSeconds: Math.floor((this.clock() - this.startedAt) / 1000),
    };
  }

  private checkRequest(request: MappingRequest): Refused | undefined {
    const enabled = request.source === 'upnp' ? this.config.upnpEnabled : this.config.natPmpEnabled;
    if (!enabled) return refuse('disabled', 'service disabled');
    if (!this.isInternal(request.clientAddress)) {
      return refuse('not-internal', `${request.clientAddress} is not on an internal interface`);
    }
    if (this.config.externalAddress === null) return refuse('no-external', 'no external address');
    if (!this.config.externalUp) return refuse('external-down', 'external interface is down');
    if (request.internalPort < 1 || request.internalPort > 65535) return refuse('bad-port', 'bad internal port');
    if (request.source === 'upnp' && request.leaseSeconds > 0 && this.config.profile === 'routeros7') {
      return refuse('only-permanent', 'RouterOS accepts permanent leases only');
    }
    const denied = this.config.deniedPorts.find(
      (d) =>
        (!d.protocol || d.protocol === request.protocol) &&
        request.externalPort >= d.from &&
        request.externalPort <= d.to,
    );
    if (denied) return refuse('denied', `port ${request.externalPort} denied by permission`);
    return undefined;
  }

  private isInternal(address: string): boolean {
    return this.config.internalPrefixes.some((p) => address.startsWith(p));
  }

  private holder(protocol: MappingProtocol, port: number): MappingEntry | undefined {
    return [...this.mappings.values()].find((m) => m.protocol === protocol && m.externalPort === port);
  }

  private freePort(protocol: MappingProtocol, preferred: number): number | undefined {
    for (let offset = 0; offset < 65535; offset++) {
      const port = ((preferred - 1 + offset) % 65535) + 1;
      const denied = this.config.deniedPorts.some((d) => port >= d.from && port <= d.to);
      if (!denied && !this.holder(protocol, port)) return port;
    }
    return undefined;
  }
}

function key(source: MappingSource, protocol: MappingProtocol, port: number): string {
  return `${source}/${protocol}/${port}`;
}

/**
 * MappingBackend over the device state: a mapping is one dynamic dstnat rule per protocol at the end
 * of /ip/firewall/nat (the guide; routeros-facts.md "Dynamic rule per protocol"). Refusals follow
 * mapping-backend.ts; the faces turn them into UPnP / NAT-PMP codes.
 */
import type { Row } from '../api-device';
import type {
  GatewayStatus,
  MappingBackend,
  MappingEntry,
  MappingProtocol,
  MappingRefusal,
  MappingRequest,
  MappingResult,
  MappingSource,
} from '../mapping-backend';
import type { Clock } from './clock';
import { GatewayView, type GatewayTables } from './gateway';
import { MappingStore, toEntry, type Mapping } from './mappings';
import { permitted } from './permissions';
import { pickFreePort } from './ports';
import type { Unknowns } from './unknowns';

export type Profile = 'routeros7' | 'seed';
type Refused = { ok: false; refusal: MappingRefusal; detail: string };
const refuse = (refusal: MappingRefusal, detail: string): Refused => ({ ok: false, refusal, detail });

export interface BackendHost extends GatewayTables {
  readonly profile: Profile;
  readonly clock: Clock;
  /** Peers outside the simulated subnets (real sockets on the PC) count as LAN hosts; default true. */
  readonly realClientsAreInternal?: boolean;
  /** IGD description served: 1 (RouterOS default) or 2. */
  readonly igdVersion?: 1 | 2;
  /** What this router allows where real RouterOS is unknown (unknowns.ts). */
  readonly unknowns: Pick<Unknowns, 'foreignDelete' | 'foreignAdd'>;
  /** Configuration changed outside the API (ForceTermination disabling an interface). */
  configChanged(path: string): void;
}

export class DeviceBackend implements MappingBackend {
  readonly store = new MappingStore();
  readonly views: Record<MappingSource, GatewayView>;
  private readonly startedAt: Record<MappingSource, number>;
  private readonly restartListeners = new Set<() => void>();
  private readonly listCache: Partial<
    Record<MappingSource, { version: number; second: number; entries: MappingEntry[] }>
  > = {};

  constructor(private readonly host: BackendHost) {
    this.views = { upnp: new GatewayView(host, 'upnp'), 'nat-pmp': new GatewayView(host, 'nat-pmp') };
    const now = host.clock.now();
    this.startedAt = { upnp: now, 'nat-pmp': now };
  }

  get profile(): Profile {
    return this.host.profile;
  }

  /** RouterOS serves IGD:1 + WANIPConnection:1 by default (routeros-facts.md); IGD:2 is a face option. */
  igdVersion(): 1 | 2 {
    return this.host.igdVersion ?? 1;
  }

  upnpStatus(): GatewayStatus & { showDummyRule: boolean; allowDisableExternal: boolean } {
    const settings = this.host.table('/ip/upnp').singleton();
    return {
      ...this.status('upnp'),
      showDummyRule: settings['show-dummy-rule'] === 'true',
      allowDisableExternal: settings['allow-disable-external-interface'] === 'true',
    };
  }

  natPmpStatus(): GatewayStatus {
    return this.status('nat-pmp');
  }

  private status(source: MappingSource): GatewayStatus {
    const view = this.views[source];
    return {
      enabled: view.serviceEnabled() && view.hasInternal() && !!view.externalEntry(),
      externalUp: view.externalUp(),
      externalAddress: view.externalAddress(),
      uptimeSeconds: Math.floor((this.host.clock.now() - this.startedAt[source]) / 1000),
    };
  }

  add(req: MappingRequest): MappingResult {
    const view = this.views[req.source];
    const blocked = this.checkService(view, req);
    if (blocked) return blocked;
    // --foreign-add: whether a host may map a port for another one (NewInternalClient ≠ requester).
    // NAT-PMP always maps for the requester itself (RFC 6886 §3.3), so this is UPnP only.
    if (
      req.source === 'upnp' &&
      req.internalAddress !== req.clientAddress &&
      this.host.unknowns.foreignAdd === 'refuse'
    ) {
      return refuse('denied', `${req.clientAddress} may not map a port for ${req.internalAddress}`);
    }
    // RouterOS 7 IGD accepts permanent leases only (SOAP 725, [FX] captures). NAT-PMP lifetimes are
    // part of the protocol (RFC 6886 §3.3), so they are honoured in both profiles.
    if (req.source === 'upnp' && req.leaseSeconds > 0 && this.profile === 'routeros7') {
      return refuse('only-permanent', 'OnlyPermanentLeasesSupported: RouterOS accepts lease duration 0 only');
    }
    if (req.internalPort < 1 || req.internalPort > 65535 || req.externalPort > 65535) {
      return refuse('bad-port', 'port out of range');
    }
    if (req.externalPort === 0 && !req.allowAlternativePort)
      return refuse('bad-port', 'external port 0 is not allowed');
    if (req.source === 'nat-pmp') {
      // RFC 6886 §3.3: a repeated request for the same internal port refreshes the existing mapping.
      const same = this.store.findByInternal('nat-pmp', req.protocol, req.internalAddress, req.internalPort);
      if (same) return this.update(same, { ...req, externalPort: same.externalPort });
    }
    const allowed = (port: number): boolean => this.profile !== 'seed' || permitted(this.host, view, req, port);
    const wanted = req.externalPort || req.internalPort;
    const holder = this.store.get(req.protocol, wanted);
    const mine = holder && holder.source === req.source && holder.internalAddress === req.internalAddress;
    if (allowed(wanted) && (!holder || mine)) return holder ? this.update(holder, req) : this.create(req, wanted);
    if (!req.allowAlternativePort) {
      return holder && !mine
        ? refuse('conflict', `${req.protocol} ${wanted} is mapped to ${holder.internalAddress}`)
        : refuse('denied', `permissions deny ${req.protocol} ${wanted} for ${req.internalAddress}`);
    }
    const port = pickFreePort(wanted, (p) => !this.store.get(req.protocol, p) && allowed(p));
    return port === null ? refuse('out-of-resources', 'no free external port') : this.create(req, port);
  }

  private checkService(view: GatewayView, req: MappingRequest): Refused | null {
    if (!view.serviceEnabled() || !view.hasInternal()) return refuse('disabled', `${req.source} service is disabled`);
    const subnets = view.internalSubnets();
    const realClient = this.host.realClientsAreInternal !== false && view.isRealPeer(req.clientAddress);
    if (!realClient && !view.isInternal(req.clientAddress, subnets)) {
      return refuse('not-internal', `${req.clientAddress} is not on an internal ${req.source} interface`);
    }
    const realTarget = realClient && view.isRealPeer(req.internalAddress);
    if (!realTarget && !view.isInternal(req.internalAddress, subnets)) {
      return refuse('not-internal', `${req.internalAddress} is not on an internal ${req.source} interface`);
    }
    if (!view.externalEntry()) return refuse('no-external', `no external ${req.source} interface`);
    if (!view.externalUp()) return refuse('external-down', 'the external interface is down');
    return null;
  }

  private create(req: MappingRequest, externalPort: number): MappingResult {
    const now = this.host.clock.now();
    const m: Mapping = {
      source: req.source,
      protocol: req.protocol,
      externalPort,
      internalAddress: req.internalAddress,
      internalPort: req.internalPort,
      description: req.description,
      remoteHost: req.remoteHost,
      enabled: req.enabled,
      leaseSeconds: req.leaseSeconds,
      expiresAt: req.leaseSeconds > 0 ? now + req.leaseSeconds * 1000 : null,
      ruleId: '',
      requestedBy: req.clientAddress,
    };
    m.ruleId = this.host.table('/ip/firewall/nat').add(this.ruleFor(m), { dynamic: true, trusted: true });
    this.store.put(m);
    return { ok: true, entry: toEntry(m, now) };
  }

  private update(m: Mapping, req: MappingRequest): MappingResult {
    const now = this.host.clock.now();
    Object.assign(m, {
      internalPort: req.internalPort,
      description: req.description,
      remoteHost: req.remoteHost,
      enabled: req.enabled,
      leaseSeconds: req.leaseSeconds,
      expiresAt: req.leaseSeconds > 0 ? now + req.leaseSeconds * 1000 : null,
    });
    if (m.expiresAt === null) this.store.leased.delete(m);
    else this.store.leased.add(m);
    this.store.changed();
    const nat = this.host.table('/ip/firewall/nat');
    const rule = nat.find(m.ruleId);
    if (rule) nat.update(rule, this.ruleFor(m));
    return { ok: true, entry: toEntry(m, now) };
  }

  /** The dynamic rule exactly as RouterOS shows it (routeros-facts.md example). */
  private ruleFor(m: Mapping): Row {
    const view = this.views[m.source];
    const row: Row = {
      chain: 'dstnat',
      action: 'dst-nat',
      'to-addresses': m.internalAddress,
      'to-ports': String(m.internalPort),
      protocol: m.protocol,
      'dst-address': view.externalAddress() ?? '',
      'in-interface': view.externalEntry()?.interface ?? '',
      'dst-port': String(m.externalPort),
      disabled: m.enabled ? 'false' : 'true',
      comment: `${m.source} ${m.internalAddress}: ${m.description}`,
    };
    if (m.remoteHost) row['src-address'] = m.remoteHost;
    return row;
  }

  remove(
    source: MappingSource,
    protocol: MappingProtocol,
    externalPort: number,
    clientAddress: string,
  ): { ok: true } | Refused {
    const m = this.store.get(protocol, externalPort);
    if (!m || m.source !== source) return refuse('not-found', `no ${protocol} ${externalPort} mapping`);
    const foreign = m.internalAddress !== clientAddress && m.requestedBy !== clientAddress;
    if (foreign && this.host.unknowns.foreignDelete === 'refuse') {
      return refuse('denied', `${protocol} ${externalPort} belongs to ${m.internalAddress}, not ${clientAddress}`);
    }
    this.drop(m);
    return { ok: true };
  }

  /** Removes a mapping and its rule (DeletePortMapping, lease expiry, seed `/ip/upnp/mappings/remove`). */
  drop(m: Mapping): void {
    this.store.delete(m);
    const nat = this.host.table('/ip/firewall/nat');
    const rule = nat.find(m.ruleId);
    if (rule) nat.drop(rule);
  }

  /** The dynamic rule was removed through /ip/firewall/nat (seed profile): forget its mapping. */
  ruleRemoved(ruleId: string): void {
    const m = this.store.byRuleId(ruleId);
    if (m) this.store.delete(m);
  }

  get(source: MappingSource, protocol: MappingProtocol, externalPort: number): MappingEntry | undefined {
    const m = this.store.get(protocol, externalPort);
    return m && m.source === source ? toEntry(m, this.host.clock.now()) : undefined;
  }

  /**
   * The IGD face walks GetGenericPortMappingEntry index by index and lists on every call; with 10,000
   * mappings a fresh list per call made `upnpc -l` take 10 s. Cached until a change or the next second
   * (lease countdowns are in seconds).
   */
  list(source: MappingSource): MappingEntry[] {
    const now = this.host.clock.now();
    const second = Math.floor(now / 1000);
    const hit = this.listCache[source];
    if (hit && hit.version === this.store.version && hit.second === second) return hit.entries.slice();
    const entries = this.store.list(source).map((m) => toEntry(m, now));
    this.listCache[source] = { version: this.store.version, second, entries };
    return entries.slice();
  }

  forceTermination(): { ok: true } | Refused {
    if (this.host.table('/ip/upnp').singleton()['allow-disable-external-interface'] !== 'true') {
      return refuse('denied', 'allow-disable-external-interface is off');
    }
    const row = this.views.upnp.externalInterfaceRow();
    if (!row) return refuse('no-external', 'no external interface');
    this.host.table('/interface').update(row, { disabled: 'true', running: 'false' });
    this.host.configChanged('/interface');
    return { ok: true };
  }

  onRestart(listener: () => void): () => void {
    this.restartListeners.add(listener);
    return () => this.restartListeners.delete(listener);
  }

  /** [MM]: any change under /ip upnp restarts the service and removes all its dynamic mappings. */
  restart(sources: MappingSource[]): void {
    const now = this.host.clock.now();
    const gone = new Set<string>();
    for (const m of this.store.list()) {
      if (!sources.includes(m.source)) continue;
      this.store.delete(m);
      gone.add(m.ruleId);
    }
    if (gone.size > 0) this.host.table('/ip/firewall/nat').dropWhere((r) => gone.has(r['.id'] ?? ''));
    for (const s of sources) this.startedAt[s] = now;
    for (const fn of this.restartListeners) fn();
  }

  /** Seed profile: leases run out; called once a second. */
  expireLeases(): number {
    const now = this.host.clock.now();
    const due = [...this.store.leased].filter((m) => m.expiresAt !== null && m.expiresAt <= now);
    for (const m of due) this.drop(m);
    return due.length;
  }
}

/**
 * The demo router's one device state: the menus (typed tables), the mapping backend, reboot, and the
 * ApiDevice the RouterOS API server drives. No timers start here: `start()` does that (STYLE: no side
 * effects at construction).
 */
import { ApiTrap, UnknownCommandError, type ApiDevice, type DeviceContext, type Row } from '../api-device';
import { DeviceBackend } from './backend';
import { systemClock, type Clock, seededRandom, type Random, type TimerHandle } from './clock';
import { runCommand } from './commands';
import { mappingRow, mappingRows } from './mapping-view';
import { SEED_MAPPINGS_MENU, tableSpecs, type Profile } from './registry';
import { Table } from './table';
import type { DeviceState } from './device-state';
import type { SeedMapping } from './mappings';
import { LOG_MAX_LINES } from './menus-firewall';
import { Accounts } from './users';
import { resolveUnknowns, type Unknowns } from './unknowns';
import { unknownCommand } from './unknown-path';

export interface DeviceOptions {
  profile?: Profile;
  clock?: Clock;
  random?: Random;
  user?: string;
  password?: string;
  /** See GatewayView.isRealPeer; default true. */
  realClientsAreInternal?: boolean;
  /** IGD:1 + WANIPConnection:1 like RouterOS (default), or IGD:2. */
  igdVersion?: 1 | 2;
  /** What real RouterOS may or may not allow (unknowns.ts); absent = the strictest plausible. */
  unknowns?: Partial<Unknowns>;
}

export interface ConfigSnapshot {
  version: 1;
  profile: Profile;
  tables: Record<string, { nextId: number; rows: Row[] }>;
}

export class DemoDevice implements ApiDevice, DeviceState {
  readonly profile: Profile;
  readonly clock: Clock;
  readonly random: Random;
  readonly backend: DeviceBackend;
  readonly unknowns: Unknowns;
  /** Hosts the traffic simulation takes off and back onto the network (set by the scenario). */
  readonly roamers: string[] = [];
  /** Apps that keep their mappings alive: after a flush they ask again while their host is present. */
  readonly clients: SeedMapping[] = [];
  private readonly tables = new Map<string, Table>();
  private readonly rebootListeners = new Set<() => void>();
  private readonly configListeners = new Set<(path: string) => void>();
  private readonly tickListeners = new Set<() => void>();
  private timer: TimerHandle | null = null;
  /** `/user` + `/user/group` and the passwords beside them. */
  readonly accounts: Accounts;
  /** The password given at start (`--password`); scenario users get it too. */
  private password: string;

  constructor(opts: DeviceOptions = {}) {
    this.profile = opts.profile ?? 'routeros7';
    this.unknowns = resolveUnknowns(this.profile, opts.unknowns);
    this.clock = opts.clock ?? systemClock();
    this.random = opts.random ?? seededRandom(1);
    this.password = opts.password ?? '';
    const ctx = {
      interfaceExists: (name: string) =>
        this.table('/interface')
          .all()
          .some((r) => r.name === name),
      now: () => this.clock.now(),
    };
    for (const spec of tableSpecs(this.profile)) this.tables.set(spec.path, new Table(spec, ctx));
    // The seed guide documents no version; "7.x" marks the profile in /system/resource.
    if (this.profile === 'seed') this.table('/system/resource').singleton().version = '7.x';
    this.table('/system/resource').hidden.set('', { bootAt: this.clock.now() });
    this.accounts = new Accounts(this.table('/user'), this.table('/user/group'));
    // Like a router's default user: admin in group full (the demo lets --user rename it).
    this.accounts.setUser(opts.user ?? 'admin', 'full', this.password, 'system default user');
    this.backend = new DeviceBackend({
      profile: this.profile,
      clock: this.clock,
      realClientsAreInternal: opts.realClientsAreInternal ?? true,
      igdVersion: opts.igdVersion ?? 1,
      unknowns: this.unknowns,
      table: (path) => this.table(path),
      configChanged: (path) => this.configChanged(path),
    });
  }

  has(path: string): boolean {
    return this.tables.has(path);
  }

  table(path: string): Table {
    const t = this.tables.get(path);
    if (!t) throw this.unknownCommand(path);
    return t;
  }

  /** The trap for a path this profile lacks, naming its first unknown element like RouterOS. */
  unknownCommand(path: string, verb?: string): UnknownCommandError {
    const menus = [...this.tables.keys(), ...(this.profile === 'seed' ? [SEED_MAPPINGS_MENU] : [])];
    return unknownCommand(menus, path, verb);
  }

  // ---- ApiDevice ----

  login(user: string, password: string): boolean {
    return this.accounts.checkPassword(user, password);
  }

  permits(user: string, policy: string): boolean {
    return this.accounts.policies(user).has(policy);
  }

  /** A scenario's extra user, with the password given at start. */
  addUser(name: string, group: string, comment = ''): void {
    this.accounts.setUser(name, group, this.password, comment);
  }

  print(menu: string, attrs: Row, ctx: DeviceContext): Row[] {
    return [...this.printLazily(menu, attrs, ctx)];
  }

  printLazily(menu: string, _attrs: Row, _ctx: DeviceContext): Iterable<Row> {
    const path = normalize(menu);
    if (path === SEED_MAPPINGS_MENU && this.profile === 'seed') return mappingRows(this);
    return this.table(path).printLazily();
  }

  command(menu: string, verb: string, attrs: Row, ctx: DeviceContext): { ret?: string } {
    const path = normalize(menu);
    if (path === '/user') return this.accounts.withPassword(verb, attrs, (a) => runCommand(this, path, verb, a, ctx));
    return runCommand(this, path, verb, attrs, ctx);
  }

  listen(menu: string, onChange: (row: Row) => void): () => void {
    const path = normalize(menu);
    if (path === SEED_MAPPINGS_MENU && this.profile === 'seed') {
      // The view follows the dynamic rules that back it.
      return this.table('/ip/firewall/nat').listen((row) => {
        const m = this.backend.store.byRuleId(row['.id'] ?? '');
        if (row['.dead'] === 'true') onChange(row);
        else if (m && m.source === 'upnp') onChange(mappingRow(m, this.clock.now()));
      });
    }
    return this.table(path).listen(onChange);
  }

  onReboot(listener: () => void): () => void {
    this.rebootListeners.add(listener);
    return () => this.rebootListeners.delete(listener);
  }

  // ---- lifecycle ----

  onConfigChange(listener: (path: string) => void): () => void {
    this.configListeners.add(listener);
    return () => this.configListeners.delete(listener);
  }

  configChanged(path: string): void {
    for (const fn of this.configListeners) fn(path);
  }

  /** Called once a second while started (traffic, lease expiry). */
  onTick(listener: () => void): () => void {
    this.tickListeners.add(listener);
    return () => this.tickListeners.delete(listener);
  }

  start(): void {
    if (this.timer) return;
    this.timer = this.clock.setInterval(() => this.tick(), 1000);
  }

  stop(): void {
    if (this.timer) this.clock.clearInterval(this.timer);
    this.timer = null;
  }

  tick(): void {
    // Seed UPnP leases and NAT-PMP lifetimes (both profiles) run out; RouterOS 7 UPnP leases are all 0.
    this.backend.expireLeases();
    for (const fn of this.tickListeners) fn();
  }

  /**
   * `/system/reboot`: API sessions close, dynamic mappings and connections are gone, the configuration
   * stays (the guide: "verify your configuration is saved" — in RouterOS every applied change is saved).
   */
  reboot(): void {
    for (const fn of [...this.rebootListeners]) fn();
    this.backend.restart(['upnp', 'nat-pmp']);
    this.table('/ip/firewall/connection').dropWhere(() => true);
    for (const path of ['/ip/firewall/nat', '/ip/firewall/filter']) {
      const t = this.table(path);
      for (const row of t.all()) t.update(row, { bytes: '0', packets: '0' }, true);
    }
    this.table('/system/resource').hidden.set('', { bootAt: this.clock.now() });
    this.appendLog('system,info', 'router rebooted');
  }

  appendLog(topics: string, message: string): void {
    const log = this.table('/log');
    const d = new Date(this.clock.now());
    const time = d.toISOString().slice(0, 19).replace('T', ' ');
    log.add({ time, topics, message }, { trusted: true });
    const extra = log.size - LOG_MAX_LINES;
    if (extra > 0) {
      const old = new Set(log.all().slice(0, extra));
      log.dropWhere((r) => old.has(r));
    }
  }

  exportConfig(): ConfigSnapshot {
    const tables: ConfigSnapshot['tables'] = {};
    for (const [path, t] of this.tables) if (t.spec.persist) tables[path] = t.exportRows();
    return { version: 1, profile: this.profile, tables };
  }

  importConfig(snapshot: ConfigSnapshot): void {
    for (const [path, data] of Object.entries(snapshot.tables)) this.tables.get(path)?.importRows(data);
    this.backend.restart(['upnp', 'nat-pmp']);
  }

  /** `user` (in group full) logs in with `password` from now on. */
  setCredentials(user: string, password: string): void {
    this.password = password;
    this.accounts.setUser(user, 'full', password);
  }
}

function normalize(menu: string): string {
  const p = menu.replace(/\/+$/, '');
  return p.startsWith('/') ? p : `/${p}`;
}

export { ApiTrap };

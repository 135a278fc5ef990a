/**
 * Simulated traffic, once a second: peers on the internet reach a bounded sample of the live
 * mappings (so 10,000 mappings cost the same as 12), NAT counters move, /ip/firewall/connection
 * fills, logging filter rules write firewall lines to /log, roaming hosts come and go, clients
 * renew their leases at half time like real UPnP/NAT-PMP clients (RFC 6886 §3.3) and re-map after a
 * flush.
 *
 * NAT counter changes reach `listen` subscribers: at most once per rule per tick (1/s), which keeps a
 * UI live without flooding. Real RouterOS reports counters only on print; documented deviation.
 */
import type { DemoDevice } from './device';
import { isPresent, requestMapping, setPresent } from './scenarios/hosts';
import type { Mapping } from './mappings';
import { connectionFor, expireConnections, type ConnectionBook } from './connections';
import { logMatches } from './firewall-log';

/** MaxMind GeoIP test-fixture addresses: public-looking, never contacted (see scenarios/home.ts). */
export const PEERS = ['89.160.20.112', '89.160.20.128', '216.160.83.56', '2.125.160.216', '81.2.69.160', '67.43.156.1'];

export interface TrafficOptions {
  /** Mappings visited per tick. */
  sample?: number;
  /** Chance per tick that a roaming host leaves or comes back. */
  roamChance?: number;
  maxConnections?: number;
}

export class TrafficSimulator {
  private cursor = 0;
  private readonly book: ConnectionBook = new Map();
  private readonly sample: number;
  private readonly roamChance: number;
  private readonly maxConnections: number;

  constructor(
    private readonly dev: DemoDevice,
    opts: TrafficOptions = {},
  ) {
    this.sample = opts.sample ?? 48;
    this.roamChance = opts.roamChance ?? 1 / 120;
    this.maxConnections = opts.maxConnections ?? 512;
  }

  attach(): () => void {
    return this.dev.onTick(() => this.tick());
  }

  tick(): void {
    this.roam();
    this.remap();
    expireConnections(this.dev, this.book);
    const all = this.dev.backend.store.list();
    if (all.length === 0) return;
    const count = Math.min(this.sample, all.length);
    const present = new Set(
      this.dev
        .table('/ip/arp')
        .all()
        .map((a) => a.address),
    );
    for (let i = 0; i < count; i++) {
      const m = all[(this.cursor + i) % all.length];
      if (m && m.enabled && present.has(m.internalAddress)) this.flow(m);
    }
    this.cursor = (this.cursor + count) % all.length;
    this.renewLeases(present);
  }

  private flow(m: Mapping): void {
    const r = this.dev.random;
    if (r() < 0.3) return; // idle this second
    const nat = this.dev.table('/ip/firewall/nat');
    const rule = nat.find(m.ruleId);
    if (!rule) return;
    const packets = 1 + Math.floor(r() * 40);
    const bytes = packets * (60 + Math.floor(r() * 1340));
    nat.touch(rule, {
      packets: String(Number(rule.packets ?? 0) + packets),
      bytes: String(Number(rule.bytes ?? 0) + bytes),
    });
    this.countOnInterfaces(m, packets, bytes);
    const peer = PEERS[Math.floor(r() * PEERS.length)] ?? PEERS[0] ?? '';
    const fresh = connectionFor(this.dev, this.book, m, peer, packets, bytes, this.maxConnections);
    logMatches(this.dev, m, { peer, external: rule['dst-address'] ?? '', fresh, packets, bytes });
    const lease = this.dev.table('/ip/dhcp-server/lease');
    const l = lease.all().find((x) => x.address === m.internalAddress);
    if (l) lease.hidden.set(l['.id'] ?? '', { ...lease.hidden.get(l['.id'] ?? ''), lastSeenAt: this.dev.clock.now() });
  }

  /** WAN receives what the LAN side transmits (and the reverse for replies, ignored here). */
  private countOnInterfaces(m: Mapping, packets: number, bytes: number): void {
    const ifaces = this.dev.table('/interface');
    const wan = this.dev.backend.views[m.source].externalEntry()?.interface;
    for (const row of ifaces.all()) {
      const dir = row.name === wan ? 'rx' : row.name === 'bridge-lan' ? 'tx' : null;
      if (!dir) continue;
      ifaces.touch(row, {
        [`${dir}-byte`]: String(Number(row[`${dir}-byte`] ?? 0) + bytes),
        [`${dir}-packet`]: String(Number(row[`${dir}-packet`] ?? 0) + packets),
      });
    }
  }

  /**
   * After a service restart or reboot flushed them, apps on hosts that are still there ask again
   * within seconds (consoles and torrent clients re-map on failure); stale hosts never come back —
   * which is why restarting the service is a valid cleanup.
   */
  private remap(): void {
    const store = this.dev.backend.store;
    for (const c of this.dev.clients) {
      if (store.get(c.protocol, c.port) || this.dev.random() >= 0.2) continue;
      if (isPresent(this.dev, c.address)) requestMapping(this.dev, c);
    }
  }

  private roam(): void {
    for (const address of this.dev.roamers) {
      if (this.dev.random() >= this.roamChance) continue;
      setPresent(this.dev, address, !isPresent(this.dev, address));
    }
  }

  /** Clients that are still on the network renew at half the lease (seed profile leases expire). */
  private renewLeases(present: Set<string | undefined>): void {
    const now = this.dev.clock.now();
    for (const m of this.dev.backend.store.leased) {
      if (m.expiresAt === null || !present.has(m.internalAddress)) continue;
      if (m.expiresAt - now < (m.leaseSeconds * 1000) / 2) {
        m.expiresAt = now + m.leaseSeconds * 1000;
        this.dev.backend.store.changed();
      }
    }
  }
}

/**
 * Connection tracking entries for simulated flows through a mapping, shaped like
 * `/ip firewall connection print` on RouterOS 7: original direction peer → external address, reply
 * direction internal host → peer, `dstnat=true`. Timeouts: tcp established 1d, udp stream 3m
 * (RouterOS /ip firewall connection tracking defaults).
 */
import type { DemoDevice } from './device';
import type { Mapping } from './mappings';

/** mapping rule id → connection id. */
export type ConnectionBook = Map<string, string>;

/** The peer's source port: stable per mapping and peer, so log lines and connections agree. */
export const peerPort = (m: Mapping, peer: string): number =>
  1024 + ((m.externalPort * 7919 + peer.length * 131) % 60000);

const TIMEOUT_MS = { tcp: 86400_000, udp: 180_000 } as const;

/** Returns true when the connection is new (its first packet is what firewall log rules see). */
export function connectionFor(
  dev: DemoDevice,
  book: ConnectionBook,
  m: Mapping,
  peer: string,
  packets: number,
  bytes: number,
  max: number,
): boolean {
  const table = dev.table('/ip/firewall/connection');
  const now = dev.clock.now();
  const expiresAt = now + TIMEOUT_MS[m.protocol];
  const existing = table.find(book.get(m.ruleId) ?? '');
  if (existing) {
    const half = Math.floor(packets / 2);
    table.touch(existing, {
      'orig-packets': String(Number(existing['orig-packets']) + packets - half),
      'repl-packets': String(Number(existing['repl-packets']) + half),
      'orig-bytes': String(Number(existing['orig-bytes']) + Math.floor(bytes * 0.4)),
      'repl-bytes': String(Number(existing['repl-bytes']) + Math.ceil(bytes * 0.6)),
      assured: 'true',
      'seen-reply': 'true',
    });
    table.hidden.set(existing['.id'] ?? '', { expiresAt });
    return false;
  }
  if (table.size >= max) return false;
  const external = dev.backend.views[m.source].externalAddress() ?? '';
  const port = peerPort(m, peer);
  const id = table.add(
    {
      protocol: m.protocol,
      'src-address': `${peer}:${port}`,
      'dst-address': `${external}:${m.externalPort}`,
      'reply-src-address': `${m.internalAddress}:${m.internalPort}`,
      'reply-dst-address': `${peer}:${port}`,
      'tcp-state': m.protocol === 'tcp' ? 'established' : '',
      'orig-packets': String(packets),
      'repl-packets': '0',
      'orig-bytes': String(bytes),
      'repl-bytes': '0',
      dstnat: 'true',
    },
    { trusted: true },
  );
  table.hidden.set(id, { expiresAt });
  book.set(m.ruleId, id);
  return true;
}

export function expireConnections(dev: DemoDevice, book: ConnectionBook): void {
  const table = dev.table('/ip/firewall/connection');
  const now = dev.clock.now();
  const live = new Set<string>();
  table.dropWhere((r) => {
    const dead = (table.hidden.get(r['.id'] ?? '')?.expiresAt ?? Infinity) <= now;
    if (!dead) live.add(r['.id'] ?? '');
    return dead;
  });
  for (const [rule, conn] of book) {
    if (!live.has(conn) || !dev.table('/ip/firewall/nat').find(rule)) {
      book.delete(rule);
      if (live.has(conn)) {
        const row = table.find(conn);
        if (row) table.drop(row);
      }
    }
  }
}

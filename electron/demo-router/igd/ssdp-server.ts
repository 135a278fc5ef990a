/**
 * SSDP responder socket (node:dgram), separate from the HTTP server. Answers M-SEARCH by unicast
 * to the sender; with multicast on (and a non-loopback host) it joins 239.255.255.250 on the
 * host's interface and sends NOTIFY alive/byebye. Silent while the backend says UPnP is off,
 * like a RouterOS router whose UPnP service is disabled.
 */
import dgram from 'node:dgram';
import {
  SSDP_MULTICAST,
  SSDP_PORT,
  allTargets,
  buildNotify,
  buildSearchResponse,
  matchSearch,
  parseMSearch,
  searchDelayMs,
  type AdvertParams,
  type MSearch,
} from './ssdp';
import type { DeviceIdentity } from './description';
import type { IgdVersion } from './services';

export interface SsdpResponderOptions {
  host: string;
  /** 0 = random. */
  port: number;
  multicast: boolean;
  advert: AdvertParams;
  identity: DeviceIdentity;
  version: () => IgdVersion;
  enabled: () => boolean;
  /** Milliseconds to wait before answering; default random within MX (tests pass () => 0). */
  responseDelay?: (search: MSearch) => number;
  /** Re-advertisement period; UDA 1.1 §1.2.2 asks for less than half of max-age. */
  notifyIntervalMs?: number;
  log: (line: string) => void;
}

export interface SsdpResponder {
  port: number;
  close(): Promise<void>;
}

const isLoopback = (host: string): boolean => host.startsWith('127.') || host === 'localhost';

function bind(socket: dgram.Socket, address: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind({ address, port, exclusive: false }, () => {
      socket.off('error', reject);
      resolve();
    });
  });
}

/** Joins the SSDP group; failures are logged (not every OS/interface allows it). */
async function openSocket(opts: SsdpResponderOptions): Promise<{ socket: dgram.Socket; multicast: boolean }> {
  const wantMulticast = opts.multicast && !isLoopback(opts.host);
  if (opts.multicast && !wantMulticast) opts.log(`ssdp: multicast skipped on loopback ${opts.host}`);
  const socket = dgram.createSocket({ type: 'udp4', reuseAddr: wantMulticast });
  // A multicast member must bind the wildcard address to receive group traffic on Linux.
  await bind(socket, wantMulticast ? '0.0.0.0' : opts.host, opts.port);
  if (!wantMulticast) return { socket, multicast: false };
  try {
    socket.addMembership(SSDP_MULTICAST, opts.host);
    socket.setMulticastInterface(opts.host);
    socket.setMulticastTTL(2);
    return { socket, multicast: true };
  } catch (error) {
    opts.log(`ssdp: cannot join ${SSDP_MULTICAST} on ${opts.host}: ${(error as Error).message}`);
    return { socket, multicast: false };
  }
}

export async function startSsdpResponder(opts: SsdpResponderOptions): Promise<SsdpResponder> {
  const { socket, multicast } = await openSocket(opts);
  const timers = new Set<NodeJS.Timeout>();
  const delay = opts.responseDelay ?? ((s: MSearch) => searchDelayMs(s));

  socket.on('error', (error) => opts.log(`ssdp: socket error ${error.message}`));
  socket.on('message', (message, peer) => {
    const search = parseMSearch(message);
    if (!search || !opts.enabled()) return;
    const targets = matchSearch(search.st, opts.version(), opts.identity);
    if (targets.length === 0) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!opts.enabled()) return;
      for (const target of targets) {
        socket.send(buildSearchResponse(target, opts.advert, new Date()), peer.port, peer.address);
      }
      opts.log(`ssdp: answered ${search.st} from ${peer.address}:${peer.port} (${targets.length})`);
    }, delay(search));
    timers.add(timer);
  });

  const notify = (nts: 'ssdp:alive' | 'ssdp:byebye'): Promise<void> => {
    if (!multicast || !opts.enabled()) return Promise.resolve();
    const sends = allTargets(opts.version(), opts.identity).map(
      (t) =>
        new Promise<void>((resolve) => {
          socket.send(buildNotify(t, nts, opts.advert), SSDP_PORT, SSDP_MULTICAST, () => resolve());
        }),
    );
    return Promise.all(sends).then(() => undefined);
  };
  void notify('ssdp:alive');
  const interval = multicast
    ? setInterval(() => void notify('ssdp:alive'), opts.notifyIntervalMs ?? 600_000)
    : undefined;
  interval?.unref();

  return {
    port: socket.address().port,
    async close() {
      if (interval) clearInterval(interval);
      for (const t of timers) clearTimeout(t);
      await notify('ssdp:byebye').catch(() => undefined);
      await new Promise<void>((resolve) => socket.close(() => resolve()));
    },
  };
}

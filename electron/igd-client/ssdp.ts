// SSDP discovery of Internet Gateway Devices over every suitable IPv4 adapter, plus unicast
// searches to known gateways. Sockets come from an injected factory and are always closed. Each
// answer records the adapter whose socket heard it: on a multi-homed PC that is the adapter to map
// for (issue 15).
import dgram from 'node:dgram';
import os from 'node:os';
import { discoveryAdapters, listAdapters } from './adapters';
import {
  IGD_SEARCH_TARGETS,
  SSDP_MULTICAST_ADDRESS,
  SSDP_PORT,
  buildMulticastSearch,
  buildUnicastSearch,
  looksLikeRouterOs,
  parseSsdpResponse,
} from './ssdp-codec';

export interface DiscoveredGateway {
  /** Root description URL: the identity of a gateway (one device answers several STs). */
  location: string;
  usn: string;
  server: string;
  /** Search targets this gateway answered. */
  searchTargets: string[];
  /** Who answered, and on which of our addresses. */
  responder: { address: string; port: number };
  localAddress: string;
  /** The adapter (os.networkInterfaces() name) whose socket heard it first; null for an unbound socket. */
  adapter: string | null;
  /** Every adapter that heard it (Ethernet and Wi-Fi on one LAN both do), in the order they did. */
  heardOn: { adapter: string | null; localAddress: string }[];
  /** From the SERVER header; refine with the description's manufacturer (see markRouterOs). */
  isRouterOs: boolean;
}

export interface DiscoveryOptions {
  /** Total listening window. Searches are sent `repeats` times spread over its first half, as
   *  UDA 1.1 §1.3.2 recommends repeating because UDP may be lost. */
  windowMs?: number;
  repeats?: number;
  /** Adapters to search from; default: every physical adapter with a private IPv4 address
   *  (adapters.ts discoveryAdapters: no virtual switches, no VPN tunnels). */
  adapters?: { name: string; address: string }[];
  /** Local IPv4 addresses to search from (adapters without a name: tests, the lab). */
  localAddresses?: string[];
  /** Gateways to search by unicast (e.g. the default gateway, or a mapped test port). */
  unicastTargets?: { address: string; port?: number }[];
  /** false: only unicast searches, from each of `adapters` when given, else from one socket bound to
   *  localAddresses[0] or 0.0.0.0. */
  multicast?: boolean;
  searchTargets?: readonly string[];
  createSocket?: () => dgram.Socket;
  networkInterfaces?: () => NodeJS.Dict<os.NetworkInterfaceInfo[]>;
}

/** Non-internal IPv4 addresses of this machine. */
export function suitableLocalAddresses(list: NodeJS.Dict<os.NetworkInterfaceInfo[]>): string[] {
  const out: string[] = [];
  for (const infos of Object.values(list)) {
    for (const info of infos ?? []) {
      // Node 18.0–18.3 reported family as a number; accept both.
      const v4 = info.family === 'IPv4' || (info.family as unknown) === 4;
      if (v4 && !info.internal && !info.address.startsWith('169.254.')) out.push(info.address);
    }
  }
  return [...new Set(out)];
}

function bindSocket(socket: dgram.Socket, address: string): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, address, () => {
      socket.off('error', reject);
      resolve();
    });
  });
}

interface Sender {
  socket: dgram.Socket;
  localAddress: string;
  adapter: string | null;
  multicast: boolean;
}

type Local = { name: string | null; address: string };

function localsFor(opts: DiscoveryOptions, multicast: boolean): Local[] {
  if (opts.adapters) return opts.adapters;
  if (opts.localAddresses) return opts.localAddresses.map((address) => ({ name: null, address }));
  if (!multicast) return [];
  const all = listAdapters((opts.networkInterfaces ?? os.networkInterfaces)());
  return discoveryAdapters(all).use.map((a) => ({ name: a.name, address: a.address }));
}

async function openSenders(opts: DiscoveryOptions, create: () => dgram.Socket): Promise<Sender[]> {
  const multicast = opts.multicast !== false;
  const locals = localsFor(opts, multicast);
  const each = multicast || (opts.adapters?.length ?? 0) > 0;
  const targets: Local[] = each ? locals : [locals[0] ?? { name: null, address: '0.0.0.0' }];
  // No adapter to search from (only tunnels, or none up): unicast searches still go out, unbound.
  const unbound = targets.length === 0;
  if (unbound) targets.push({ name: null, address: '0.0.0.0' });
  const senders: Sender[] = [];
  for (const { name, address: localAddress } of targets) {
    const socket = create();
    const adapter = localAddress === '0.0.0.0' ? null : name;
    senders.push({ socket, localAddress, adapter, multicast: multicast && !unbound });
    try {
      await bindSocket(socket, localAddress);
      if (multicast && !unbound) {
        socket.setMulticastInterface(localAddress);
        // TTL 2 as UDA 1.1 §1.1.2 suggests: enough for the LAN, not beyond the gateway.
        socket.setMulticastTTL(2);
      }
    } catch {
      socket.close();
      senders.pop(); // an address that vanished meanwhile is skipped, not fatal
    }
  }
  return senders;
}

function sendAll(sender: Sender, opts: DiscoveryOptions, targets: readonly string[], mxSeconds: number): void {
  const send = (text: string, port: number, address: string): void => {
    // A send error (no route on this interface) only loses this copy; later repeats may work.
    sender.socket.send(Buffer.from(text), port, address, () => undefined);
  };
  for (const st of targets) {
    if (sender.multicast) send(buildMulticastSearch(st, mxSeconds), SSDP_PORT, SSDP_MULTICAST_ADDRESS);
    for (const t of opts.unicastTargets ?? [])
      send(buildUnicastSearch(st, t.address, t.port ?? SSDP_PORT), t.port ?? SSDP_PORT, t.address);
  }
}

/** Searches for gateways and resolves with every distinct one found (by LOCATION) after the window. */
export async function discoverGateways(opts: DiscoveryOptions = {}): Promise<DiscoveredGateway[]> {
  const windowMs = opts.windowMs ?? 3000;
  const repeats = Math.max(1, opts.repeats ?? 3);
  const targets = opts.searchTargets ?? IGD_SEARCH_TARGETS;
  const senders = await openSenders(
    opts,
    opts.createSocket ?? (() => dgram.createSocket({ type: 'udp4', reuseAddr: false })),
  );
  const found = new Map<string, DiscoveredGateway>();
  const timers: NodeJS.Timeout[] = [];
  for (const sender of senders) {
    sender.socket.on('error', () => undefined);
    sender.socket.on('message', (msg, rinfo) => {
      const res = parseSsdpResponse(msg.toString('latin1'));
      if (!res) return;
      const known = found.get(res.location);
      if (known) {
        if (res.st && !known.searchTargets.includes(res.st)) known.searchTargets.push(res.st);
        if (!known.heardOn.some((h) => h.localAddress === sender.localAddress))
          known.heardOn.push({ adapter: sender.adapter, localAddress: sender.localAddress });
        return;
      }
      found.set(res.location, {
        location: res.location,
        usn: res.usn,
        server: res.server,
        searchTargets: res.st ? [res.st] : [],
        responder: { address: rinfo.address, port: rinfo.port },
        localAddress: sender.localAddress,
        adapter: sender.adapter,
        heardOn: [{ adapter: sender.adapter, localAddress: sender.localAddress }],
        isRouterOs: looksLikeRouterOs(res.server),
      });
    });
  }
  const mxSeconds = Math.max(1, Math.floor(windowMs / 2000));
  const spacing = windowMs / 2 / repeats;
  for (let i = 0; i < repeats; i++) {
    timers.push(setTimeout(() => senders.forEach((s) => sendAll(s, opts, targets, mxSeconds)), i * spacing));
  }
  await new Promise((resolve) => timers.push(setTimeout(resolve, windowMs)));
  timers.forEach(clearTimeout);
  await Promise.all(senders.map((s) => new Promise<void>((r) => s.socket.close(() => r()))));
  return [...found.values()];
}

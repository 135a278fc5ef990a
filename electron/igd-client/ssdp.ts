// SSDP discovery of Internet Gateway Devices over every suitable IPv4 interface, plus unicast
// searches to known gateways. Sockets come from an injected factory and are always closed.
import dgram from 'node:dgram';
import os from 'node:os';
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
  /** From the SERVER header; refine with the description's manufacturer (see markRouterOs). */
  isRouterOs: boolean;
}

export interface DiscoveryOptions {
  /** Total listening window. Searches are sent `repeats` times spread over its first half, as
   *  UDA 1.1 §1.3.2 recommends repeating because UDP may be lost. */
  windowMs?: number;
  repeats?: number;
  /** Local IPv4 addresses to search from; default: every non-internal IPv4 interface. */
  localAddresses?: string[];
  /** Gateways to search by unicast (e.g. the default gateway, or a mapped test port). */
  unicastTargets?: { address: string; port?: number }[];
  /** false: only unicast searches (from one socket bound to localAddresses[0] or 0.0.0.0). */
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
  multicast: boolean;
}

async function openSenders(opts: DiscoveryOptions, create: () => dgram.Socket): Promise<Sender[]> {
  const multicast = opts.multicast !== false;
  const locals =
    opts.localAddresses ??
    (multicast ? suitableLocalAddresses((opts.networkInterfaces ?? os.networkInterfaces)()) : []);
  const addresses = multicast ? locals : [locals[0] ?? '0.0.0.0'];
  const senders: Sender[] = [];
  for (const localAddress of addresses) {
    const socket = create();
    senders.push({ socket, localAddress, multicast });
    try {
      await bindSocket(socket, localAddress);
      if (multicast) {
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
        return;
      }
      found.set(res.location, {
        location: res.location,
        usn: res.usn,
        server: res.server,
        searchTargets: res.st ? [res.st] : [],
        responder: { address: rinfo.address, port: rinfo.port },
        localAddress: sender.localAddress,
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

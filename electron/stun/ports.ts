// What the STUN client needs from the outside world, injected (STYLE.md pattern 4): UDP sockets, a
// resolver, timers and randomness. real-net.ts implements them over node:dgram and node:dns; unit
// tests use an in-memory network with simulated NATs (test-fakes.ts) and a manual clock.

export interface UdpEndpoint {
  address: string;
  port: number;
}

export interface StunSocket {
  /** The local port (and the bound address, 0.0.0.0 for any). */
  readonly local: UdpEndpoint;
  send(data: Buffer, to: UdpEndpoint): Promise<void>;
  /** Every datagram that arrives; returns the unsubscribe. */
  onMessage(listener: (data: Buffer, from: UdpEndpoint) => void): () => void;
  close(): Promise<void>;
}

export interface StunNet {
  /** A UDP/IPv4 socket bound to `port` on every local address (0 = any free port). */
  bind(port?: number): Promise<StunSocket>;
  /** The IPv4 address of a host name (an IPv4 literal resolves to itself). */
  resolve(host: string): Promise<string>;
  /** This machine's own IPv4 addresses: the server seeing one of them means there is no NAT. */
  localAddresses(): string[];
}

export interface StunTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface StunPorts {
  net: StunNet;
  timers: StunTimers;
  /** Transaction ids: 96 random bits (RFC 5389 §6: "uniformly and randomly chosen"). */
  randomBytes(n: number): Buffer;
}

export const sameEndpoint = (a: UdpEndpoint, b: UdpEndpoint): boolean => a.address === b.address && a.port === b.port;
export const showEndpoint = (e: UdpEndpoint): string => `${e.address}:${e.port}`;

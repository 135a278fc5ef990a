// Test-only: an in-memory Internet with NATs of every RFC 4787 behaviour, an RFC 5780 STUN server
// with two addresses, and a manual clock, so the discovery logic runs deterministically in unit tests
// (the interop lab checks the real thing: coturn and nftables NATs in network namespaces).
import { decodeMessage, encodeMessage, type StunAttributes } from './codec';
import type { StunNet, StunSocket, StunTimers, UdpEndpoint } from './ports';

type Handler = (data: Buffer, from: UdpEndpoint, to: UdpEndpoint) => void;

/** Timers that only advance when the test says so. */
export class ManualClock implements StunTimers {
  now = 0;
  private seq = 0;
  private readonly timers = new Map<number, { due: number; fn: () => void }>();
  setTimeout(fn: () => void, ms: number): number {
    const id = ++this.seq;
    this.timers.set(id, { due: this.now + ms, fn });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }
  /** Delivers every queued datagram, then fires timers in order until `p` settles. */
  async settle<T>(p: Promise<T>): Promise<T> {
    let done = false;
    const watched = p.finally(() => (done = true));
    watched.catch(() => undefined);
    for (;;) {
      await new Promise((r) => setImmediate(r));
      if (done) return watched;
      const next = [...this.timers.entries()].sort((a, b) => a[1].due - b[1].due)[0];
      if (!next) throw new Error('nothing left to run, but the promise is still pending');
      this.timers.delete(next[0]);
      this.now = next[1].due;
      next[1].fn();
    }
  }
}

export class FakeInternet {
  private readonly handlers = new Map<string, Handler>();
  /** Every datagram that crossed the Internet: from → to. */
  readonly log: string[] = [];
  attach(address: string, handler: Handler): void {
    this.handlers.set(address, handler);
  }
  send(data: Buffer, from: UdpEndpoint, to: UdpEndpoint): void {
    this.log.push(`${from.address}:${from.port} > ${to.address}:${to.port}`);
    const h = this.handlers.get(to.address);
    if (h) queueMicrotask(() => h(Buffer.from(data), from, to));
  }
}

/** A computer: its sockets, and where its packets go (straight to the Internet, or into a NAT). */
export class FakeHost implements StunNet {
  readonly sockets = new Map<number, (data: Buffer, from: UdpEndpoint) => void>();
  private nextPort = 50000;
  constructor(
    readonly address: string,
    private readonly out: (data: Buffer, from: UdpEndpoint, to: UdpEndpoint) => void,
  ) {}
  deliver(data: Buffer, from: UdpEndpoint, toPort: number): void {
    this.sockets.get(toPort)?.(data, from);
  }
  async bind(port = 0): Promise<StunSocket> {
    const p = port || this.nextPort++;
    if (this.sockets.has(p)) throw new Error(`port ${p} in use`);
    const listeners = new Set<(data: Buffer, from: UdpEndpoint) => void>();
    this.sockets.set(p, (d, f) => listeners.forEach((l) => l(d, f)));
    return {
      local: { address: '0.0.0.0', port: p },
      send: async (data, to) => this.out(data, { address: this.address, port: p }, to),
      onMessage: (l) => (listeners.add(l), () => listeners.delete(l)),
      close: async () => void this.sockets.delete(p),
    };
  }
  async resolve(host: string): Promise<string> {
    if (/^[\d.]+$/.test(host)) return host;
    throw new Error(`unknown host ${host}`);
  }
  localAddresses(): string[] {
    return [this.address];
  }
}

export interface FakeNatBehaviour {
  mapping: 'endpoint-independent' | 'address-dependent' | 'address-and-port-dependent';
  filtering: 'endpoint-independent' | 'address-dependent' | 'address-and-port-dependent';
  /** How public ports are picked: the private port when free (Linux masquerade), the next of a
   *  sequence, or a random one (masquerade fully-random). Default: sequential. */
  ports?: 'preserving' | 'sequential' | 'random';
  hairpinning?: boolean;
  /** Drop everything inbound, even answers (a firewall that lets nothing in). */
  dropInbound?: boolean;
}

interface NatMapping {
  privatePort: number;
  publicPort: number;
  permits: Set<string>;
}

/** A NAT between one private host and the Internet, with RFC 4787 mapping and filtering. */
export class FakeNat {
  readonly host: FakeHost;
  private readonly mappings = new Map<string, NatMapping>();
  /** Static forwards (what a UPnP mapping adds): public port → private port, open to anyone. */
  readonly forwards = new Map<number, number>();
  private nextPublic = 61000;
  private seed = 42;
  constructor(
    private readonly internet: FakeInternet,
    readonly publicAddress: string,
    private readonly b: FakeNatBehaviour,
    privateAddress = '192.168.1.10',
  ) {
    this.host = new FakeHost(privateAddress, (data, from, to) => this.outbound(data, from, to));
    internet.attach(publicAddress, (data, from, to) => this.inbound(data, from, to));
  }

  private key(privatePort: number, to: UdpEndpoint): string {
    if (this.b.mapping === 'endpoint-independent') return `${privatePort}`;
    if (this.b.mapping === 'address-dependent') return `${privatePort}>${to.address}`;
    return `${privatePort}>${to.address}:${to.port}`;
  }

  private publicPortFor(privatePort: number): number {
    const used = new Set([...this.mappings.values()].map((m) => m.publicPort));
    if (this.b.ports === 'preserving' && !used.has(privatePort)) return privatePort;
    if (this.b.ports === 'random') {
      // A fixed pseudo-random walk (Park–Miller), so the test stays deterministic.
      this.seed = (this.seed * 48271) % 2147483647;
      const p = 1024 + (this.seed % 60000);
      return used.has(p) ? this.publicPortFor(privatePort) : p;
    }
    // Sequential allocation 61000, 61007, 61014…: new mappings get new ports.
    while (used.has(this.nextPublic)) this.nextPublic += 7;
    const p = this.nextPublic;
    this.nextPublic += 7;
    return p;
  }

  private outbound(data: Buffer, from: UdpEndpoint, to: UdpEndpoint): void {
    const k = this.key(from.port, to);
    let m = this.mappings.get(k);
    if (!m) {
      m = { privatePort: from.port, publicPort: this.publicPortFor(from.port), permits: new Set() };
      this.mappings.set(k, m);
    }
    m.permits.add(to.address);
    m.permits.add(`${to.address}:${to.port}`);
    const src = { address: this.publicAddress, port: m.publicPort };
    if (to.address === this.publicAddress) {
      if (this.b.hairpinning) queueMicrotask(() => this.inbound(Buffer.from(data), src, to));
      return;
    }
    this.internet.send(data, src, to);
  }

  private allowed(m: NatMapping, from: UdpEndpoint): boolean {
    if (this.b.filtering === 'endpoint-independent') return true;
    if (this.b.filtering === 'address-dependent') return m.permits.has(from.address);
    return m.permits.has(`${from.address}:${from.port}`);
  }

  private inbound(data: Buffer, from: UdpEndpoint, to: UdpEndpoint): void {
    if (this.b.dropInbound) return;
    const forward = this.forwards.get(to.port);
    if (forward !== undefined) return this.host.deliver(data, from, forward);
    const m = [...this.mappings.values()].find((x) => x.publicPort === to.port && this.allowed(x, from));
    if (m) this.host.deliver(data, from, m.privatePort);
  }
}

export interface FakeStunServerOptions {
  primary: UdpEndpoint;
  /** The alternate address and port; absent = a server without RFC 5780. */
  alternate?: UdpEndpoint;
  /** What a CHANGE-REQUEST gets: honoured, ignored (answered from the primary), or 420. */
  onChangeRequest?: 'honour' | 'ignore' | 'reject';
  /** Leave OTHER-ADDRESS out although the server has a second address. */
  hideOtherAddress?: boolean;
  /** What RESPONSE-PORT (RFC 5780 §7.5) gets: honoured (default) or 420. */
  onResponsePort?: 'honour' | 'reject';
  software?: string;
}

/** A STUN server on the fake Internet: RFC 5389 Binding with RFC 5780 OTHER-ADDRESS and CHANGE-REQUEST. */
export class FakeStunServer {
  readonly requests: Array<{ from: UdpEndpoint; to: UdpEndpoint; change: string }> = [];
  constructor(
    private readonly internet: FakeInternet,
    private readonly o: FakeStunServerOptions,
  ) {
    internet.attach(o.primary.address, (d, f, t) => this.receive(d, f, t));
    if (o.alternate) internet.attach(o.alternate.address, (d, f, t) => this.receive(d, f, t));
  }

  private receive(data: Buffer, from: UdpEndpoint, to: UdpEndpoint): void {
    const listening = [this.o.primary, this.o.alternate].flatMap((a) =>
      a ? [a, { address: a.address, port: this.portPair(a.port) }] : [],
    );
    if (!listening.some((a) => a.address === to.address && a.port === to.port)) return;
    const m = decodeMessage(data);
    if (m.cls !== 'request') return;
    const c = m.attributes.changeRequest;
    this.requests.push({ from, to, change: c ? `${c.changeIp ? 'ip' : ''}${c.changePort ? 'port' : ''}` : '' });
    const alt = this.o.alternate;
    const mode = this.o.onChangeRequest ?? 'honour';
    const wantsChange = !!c && (c.changeIp || c.changePort);
    const rp = m.attributes.responsePort;
    const refuseRp = rp !== undefined && this.o.onResponsePort === 'reject';
    if ((wantsChange && (mode === 'reject' || !alt)) || refuseRp) {
      const unknown = refuseRp ? [0x27] : [3];
      const error = { errorCode: { code: 420, reason: 'Unknown Attribute' }, unknownAttributes: unknown };
      return this.reply(m.transactionId, to, from, error, 'error');
    }
    const dest = rp !== undefined ? { address: from.address, port: rp } : from;
    let src = to;
    if (wantsChange && mode === 'honour' && alt && c) {
      const otherIp = to.address === this.o.primary.address ? alt.address : this.o.primary.address;
      src = { address: c.changeIp ? otherIp : to.address, port: c.changePort ? this.portPair(to.port) : to.port };
    }
    const attrs: StunAttributes = {
      xorMappedAddress: { family: 4, ...from },
      responseOrigin: { family: 4, ...src },
      software: this.o.software ?? 'fake-stun',
    };
    if (alt && !this.o.hideOtherAddress) attrs.otherAddress = { family: 4, ...alt };
    this.reply(m.transactionId, src, dest, attrs, 'success');
  }

  /** The server listens on primary and alternate port at both addresses (RFC 5780 §4.1). */
  private portPair(port: number): number {
    const alt = this.o.alternate;
    if (!alt) return port;
    return port === this.o.primary.port ? alt.port : this.o.primary.port;
  }

  private reply(
    tid: Buffer,
    src: UdpEndpoint,
    to: UdpEndpoint,
    attributes: StunAttributes,
    cls: 'success' | 'error',
  ): void {
    this.internet.send(encodeMessage({ cls, transactionId: tid, attributes, fingerprint: true }), src, to);
  }
}

/** Deterministic transaction ids: 12 bytes counting up. */
export function countingRandom(): (n: number) => Buffer {
  let i = 0;
  return (n) => {
    const b = Buffer.alloc(n);
    b.writeUInt32BE(++i, n - 4);
    return b;
  };
}

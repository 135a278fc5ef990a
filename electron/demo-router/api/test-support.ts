/**
 * Test helpers for the API server: a small fake ApiDevice and a raw wire client built on the codec.
 * Not used by production code.
 */
import net from 'node:net';
import tls from 'node:tls';
import { SentenceDecoder, encodeSentence } from '../../routeros/codec';
import { ApiTrap, UnknownCommandError, type ApiDevice, type DeviceContext, type Row } from '../api-device';

type Listener = (row: Row) => void;

/** Two list menus and a singleton, with listeners; admin/secret logs in with `policies`. */
export class FakeDevice implements ApiDevice {
  readonly menus = new Map<string, Row[]>([
    [
      '/interface',
      [
        { '.id': '*1', name: 'ether1', type: 'ether', mtu: '1500', running: 'true' },
        { '.id': '*2', name: 'ether2', type: 'ether', mtu: '9000', running: 'false' },
        { '.id': '*3', name: 'vlan10', type: 'vlan', mtu: '1496', running: 'true', comment: 'iot' },
        { '.id': '*A', name: 'bridge-lan', type: 'bridge', mtu: '1500', running: 'true' },
      ],
    ],
    ['/ip/firewall/nat', []],
    ['/ip/upnp', [{ enabled: 'true', 'allow-disable-external-interface': 'false' }]],
  ]);
  readonly contexts: DeviceContext[] = [];
  /** A context for tests that change the device directly, as another admin would. */
  readonly ctx: DeviceContext = { user: 'test', remoteAddress: '127.0.0.1' };
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly rebootListeners = new Set<() => void>();
  private nextId = 0x10;

  /** What admin's group grants (tests take some away). */
  readonly policies = new Set(['api', 'read', 'write', 'reboot']);

  login(user: string, password: string): boolean {
    return user === 'admin' && password === 'secret';
  }

  permits(user: string, policy: string): boolean {
    return user === 'admin' && this.policies.has(policy);
  }

  private rows(menu: string): Row[] {
    const rows = this.menus.get(menu);
    if (!rows) throw new UnknownCommandError(menu.split('/').pop() ?? menu);
    return rows;
  }

  /** Unset: the server reads `print`. A test sets it to watch rows being rendered as they are read. */
  printLazily?: (menu: string, attrs: Row, ctx: DeviceContext) => Iterable<Row>;

  print(menu: string, _attrs: Row, ctx: DeviceContext): Row[] {
    this.contexts.push(ctx);
    return this.rows(menu).map((r) => ({ ...r }));
  }

  command(menu: string, verb: string, attrs: Row, ctx: DeviceContext): { ret?: string } {
    this.contexts.push(ctx);
    const rows = this.rows(menu);
    switch (verb) {
      case 'add': {
        if (attrs['protocol'] === 'bogus') {
          throw new ApiTrap('input does not match any value of protocol', 1);
        }
        const row: Row = { '.id': `*${(this.nextId++).toString(16).toUpperCase()}`, ...attrs };
        rows.push(row);
        this.emit(menu, { ...row });
        return { ret: row['.id'] };
      }
      case 'remove': {
        const i = rows.findIndex((r) => r['.id'] === attrs['.id']);
        if (i < 0) throw new ApiTrap('no such item', 0);
        rows.splice(i, 1);
        this.emit(menu, { '.id': attrs['.id'] ?? '', '.dead': 'true' });
        return {};
      }
      case 'boom':
        throw new Error('simulated bug');
      default:
        throw new UnknownCommandError(verb);
    }
  }

  listen(menu: string, onChange: Listener): () => void {
    this.rows(menu);
    const set = this.listeners.get(menu) ?? new Set<Listener>();
    this.listeners.set(menu, set);
    set.add(onChange);
    return () => set.delete(onChange);
  }

  listenerCount(menu: string): number {
    return this.listeners.get(menu)?.size ?? 0;
  }

  onReboot(listener: () => void): () => void {
    this.rebootListeners.add(listener);
    return () => this.rebootListeners.delete(listener);
  }

  reboot(): void {
    for (const l of this.rebootListeners) l();
  }

  private emit(menu: string, row: Row): void {
    for (const l of this.listeners.get(menu) ?? []) l(row);
  }
}

/** Polls until `cond` holds; fails after `ms`. Robust on a loaded machine, unlike a fixed sleep. */
export async function waitFor(cond: () => boolean, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A raw API client: writes sentences, reads decoded reply sentences in order. */
export class WireClient {
  private readonly decoder = new SentenceDecoder();
  private readonly queue: string[][] = [];
  private waiters: (() => void)[] = [];
  closed = false;

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.queue.push(...this.decoder.push(chunk));
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => {});
  }

  static async connect(port: number, tlsOptions?: tls.ConnectionOptions): Promise<WireClient> {
    const socket = await new Promise<net.Socket>((resolve, reject) => {
      const s = tlsOptions
        ? tls.connect({ host: '127.0.0.1', port, ...tlsOptions }, () => resolve(s))
        : net.connect({ host: '127.0.0.1', port }, () => resolve(s));
      s.once('error', reject);
    });
    return new WireClient(socket);
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  send(...words: string[]): void {
    this.socket.write(encodeSentence(words));
  }

  sendRaw(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** The next reply sentence; rejects after `ms` or when the connection closes first. */
  async next(ms = 2000): Promise<string[]> {
    const deadline = Date.now() + ms;
    while (this.queue.length === 0) {
      if (this.closed) throw new Error('connection closed');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('timed out waiting for a reply');
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    return this.queue.shift() ?? [];
  }

  /** Reply sentences up to and including the first `!done` (or `!fatal`). */
  async untilDone(ms = 2000): Promise<string[][]> {
    const out: string[][] = [];
    for (;;) {
      const s = await this.next(ms);
      out.push(s);
      if (s[0] === '!done' || s[0] === '!fatal') return out;
    }
  }

  async call(...words: string[]): Promise<string[][]> {
    this.send(...words);
    return this.untilDone();
  }

  async login(user = 'admin', password = 'secret'): Promise<string[][]> {
    return this.call('/login', `=name=${user}`, `=password=${password}`);
  }

  /** Resolves once the server has closed the connection. */
  async waitClosed(ms = 2000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!this.closed) {
      if (Date.now() > deadline) throw new Error('connection still open');
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  pending(): number {
    return this.queue.length;
  }

  close(): void {
    this.socket.destroy();
  }
}

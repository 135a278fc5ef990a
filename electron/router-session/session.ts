/**
 * RouterSession: PortPilot's link to one RouterOS router. Connects (API or API-SSL with a pinned
 * fingerprint), probes capabilities, keeps the link alive, reconnects with capped exponential backoff
 * and jitter, and offers typed menu access. Commands while not connected fail fast with
 * RouterConnectionError('down'): nothing is queued or replayed (a replayed `add` could create a
 * duplicate rule). Listens resume by themselves after a reconnect and say so.
 */
import type { z } from 'zod';
import { backoffDelay, type BackoffOptions } from './backoff';
import { RouterConnectionError, ValidationError } from './errors';
import { ListenRegistry, type ListenEvent, type ListenHandle, type ListenOptions } from './listens';
import { openProbed } from './open-probed';
import { checkQueryWords, type Query } from './query';
import type { Capabilities, RouterTarget, SessionState } from './target';
import type { Link, LinkOpener, Row, WireLimits } from './link';
import { openNodeRouterosLink } from './transport';
import { attributeWords, checkMenu, checkVerb, parseRow, parseRows, type AttrValue } from './validate';
import { MENU_SCHEMAS, type KnownMenu, type MenuRow } from './models';
import { rosId } from './values';
import {
  checkId,
  describeState,
  FATAL_KINDS,
  LOSS_KINDS,
  realTimers,
  toConnectionError,
  type Timers,
} from './session-util';

export type { Timers } from './session-util';

export interface SessionDeps {
  openLink?: LinkOpener;
  timers?: Timers;
  random?: () => number;
  log?: (line: string) => void;
  backoff?: BackoffOptions;
  /** Keepalive command timeout (default min(keepaliveMs, 10 s)). */
  keepaliveTimeoutMs?: number;
  /** What the router may send (default DEFAULT_WIRE_LIMITS; tests lower them). */
  limits?: Partial<WireLimits>;
}

export interface PrintOptions<S extends z.ZodType | undefined = undefined> {
  query?: Query;
  proplist?: readonly string[];
  schema?: S;
}

type Out<S> = S extends z.ZodType ? z.output<S> : Row;

export class RouterSession {
  private current: SessionState = { kind: 'idle' };
  private readonly listeners = new Set<(s: SessionState) => void>();
  private link: Link | undefined;
  private readonly listens = new ListenRegistry();
  private readonly timers: Timers;
  private readonly random: () => number;
  private readonly log: (line: string) => void;
  private readonly openLink: LinkOpener;
  private reconnectTimer: unknown;
  private connecting: Promise<Capabilities> | undefined;
  private keepaliveTimer: unknown;
  /** Gives up the connect in progress (close() while connecting or reconnecting). */
  private connectAbort: AbortController | undefined;
  private closed = false;
  private readonly where: string;

  constructor(
    private readonly target: RouterTarget,
    private readonly deps: SessionDeps = {},
  ) {
    this.timers = deps.timers ?? realTimers;
    this.random = deps.random ?? Math.random;
    this.log = deps.log ?? (() => undefined);
    this.openLink = deps.openLink ?? openNodeRouterosLink;
    this.where = `${target.transport}://${target.user}@${target.host}:${target.port}`;
  }

  get state(): SessionState {
    return this.current;
  }

  get capabilities(): Capabilities | undefined {
    return this.current.kind === 'connected' ? this.current.capabilities : undefined;
  }

  onState(listener: (s: SessionState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private setState(s: SessionState): void {
    this.current = s;
    this.log(`router-session ${this.where}: ${describeState(s)}`);
    for (const l of [...this.listeners]) l(s);
  }

  /**
   * Connects now. Fails with the RouterConnectionError (no automatic retry after a failed first
   * connect: the user sees why). While reconnecting, it skips the wait ("Retry now").
   * Concurrent calls share one attempt.
   */
  connect(): Promise<Capabilities> {
    if (this.current.kind === 'connected') return Promise.resolve(this.current.capabilities);
    if (this.connecting) return this.connecting;
    this.closed = false;
    this.timers.clearTimeout(this.reconnectTimer);
    const resumed = this.current.kind === 'reconnecting';
    this.setState({ kind: 'connecting' });
    this.connecting = this.establish(resumed)
      .catch((err: unknown) => {
        const e = toConnectionError(err, this.target);
        this.setState({ kind: 'disconnected', reason: e.message, error: { kind: e.kind, message: e.message } });
        throw e;
      })
      .finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  /** Opens and probes under the connect deadline (open-probed.ts); close() meanwhile aborts it. */
  private async establish(resumed: boolean): Promise<Capabilities> {
    const abort = new AbortController();
    this.connectAbort = abort;
    try {
      const { link, capabilities } = await openProbed(this.target, {
        openLink: this.openLink,
        timers: this.timers,
        limits: this.deps.limits,
        signal: abort.signal,
      });
      this.adopt(link, capabilities, resumed);
      return capabilities;
    } finally {
      if (this.connectAbort === abort) this.connectAbort = undefined;
    }
  }

  private adopt(link: Link, capabilities: Capabilities, resumed: boolean): void {
    this.link = link;
    link.onLost((err) => this.handleLoss(link, err.detail.cause ?? err.message));
    this.setState({ kind: 'connected', capabilities });
    this.listens.startAll(link, resumed);
    this.scheduleKeepalive();
  }

  private handleLoss(link: Link, reason: string): void {
    if (this.link !== link || this.closed) return;
    this.link = undefined;
    this.timers.clearTimeout(this.keepaliveTimer);
    this.listens.detachAll();
    void link.close({ force: true });
    this.log(`router-session ${this.where}: link lost (${reason})`);
    this.scheduleReconnect(1, `connection lost: ${reason}`);
  }

  private scheduleReconnect(attempt: number, reason: string): void {
    const inMs = backoffDelay(attempt, this.deps.backoff ?? {}, this.random);
    this.setState({ kind: 'reconnecting', attempt, inMs, reason });
    this.reconnectTimer = this.timers.setTimeout(() => void this.reconnect(attempt), inMs);
  }

  private async reconnect(attempt: number): Promise<void> {
    if (this.closed || this.connecting) return;
    const attemptDone = this.establish(true);
    this.connecting = attemptDone;
    try {
      await attemptDone;
    } catch (err) {
      if (this.closed) return;
      const e = toConnectionError(err, this.target);
      if (FATAL_KINDS.has(e.kind)) {
        this.setState({ kind: 'disconnected', reason: e.message, error: { kind: e.kind, message: e.message } });
        return;
      }
      this.scheduleReconnect(attempt + 1, e.message);
    } finally {
      this.connecting = undefined;
    }
  }

  private scheduleKeepalive(): void {
    const every = this.target.keepaliveMs ?? 15_000;
    this.keepaliveTimer = this.timers.setTimeout(() => void this.keepalive(), every);
  }

  /** A cheap command proves the whole path (TCP, router, API service) alive, not just the socket. */
  private async keepalive(): Promise<void> {
    const link = this.link;
    if (!link || this.closed) return;
    const timeoutMs = this.deps.keepaliveTimeoutMs ?? Math.min(this.target.keepaliveMs ?? 15_000, 10_000);
    let timer: unknown;
    const timeout = new Promise<'timeout'>((r) => (timer = this.timers.setTimeout(() => r('timeout'), timeoutMs)));
    try {
      const outcome = await Promise.race([link.write(['/system/identity/print']).then(() => 'ok' as const), timeout]);
      if (outcome === 'timeout') return this.handleLoss(link, `no answer to keepalive within ${timeoutMs} ms`);
    } catch (err) {
      if (err instanceof RouterConnectionError) return this.handleLoss(link, err.detail.cause ?? err.kind);
      // A trap still proves the router answers.
    } finally {
      this.timers.clearTimeout(timer);
    }
    if (this.link === link) this.scheduleKeepalive();
  }

  /** Closes for good: no reconnect, listens cancelled. */
  async close(): Promise<void> {
    this.closed = true;
    this.connectAbort?.abort();
    this.timers.clearTimeout(this.reconnectTimer);
    this.timers.clearTimeout(this.keepaliveTimer);
    const link = this.link;
    this.link = undefined;
    if (link) await this.listens.cancelAll().catch(() => undefined);
    else this.listens.detachAll();
    await link?.close();
    this.setState({ kind: 'disconnected', reason: 'closed' });
  }

  private up(): Link {
    if (this.current.kind !== 'connected' || !this.link) {
      throw new RouterConnectionError('down', { host: this.target.host, port: this.target.port });
    }
    return this.link;
  }

  /** Runs a command on the live link; a lost link (seen only through this command) starts the reconnect. */
  private async onLink<T>(run: (link: Link) => Promise<T>): Promise<T> {
    const link = this.up();
    try {
      return await run(link);
    } catch (err) {
      if (err instanceof RouterConnectionError && LOSS_KINDS.has(err.kind))
        this.handleLoss(link, err.detail.cause ?? err.kind);
      throw err;
    }
  }

  private send(words: string[]): Promise<Row[]> {
    return this.onLink((link) => link.write(words));
  }

  /**
   * `print` that hands each row to `onRow` as it arrives and keeps none, for tables that may exceed a
   * buffered reply (WireLimits.maxReplyRows/Bytes), e.g. a full routing table. Resolves with the count.
   */
  printEach<S extends z.ZodType | undefined = undefined>(
    menu: string,
    onRow: (row: Out<S>) => void,
    opts: PrintOptions<S> = {},
  ): Promise<number> {
    const words = printWords(menu, opts);
    const deliver = (row: Row): void => onRow((opts.schema ? parseRow(menu, opts.schema, row) : row) as Out<S>);
    return this.onLink((link) => link.each(words, deliver));
  }

  async print<S extends z.ZodType | undefined = undefined>(
    menu: string,
    opts: PrintOptions<S> = {},
  ): Promise<Out<S>[]> {
    const rows = await this.send(printWords(menu, opts));
    return (opts.schema ? parseRows(menu, opts.schema, rows) : rows) as Out<S>[];
  }

  /** Full typed rows of a menu PortPilot knows (models.ts). */
  async printTyped<M extends KnownMenu>(menu: M, opts: { query?: Query } = {}): Promise<MenuRow<M>[]> {
    const schema = MENU_SCHEMAS[menu] as unknown as z.ZodType<MenuRow<M>>;
    return this.print(menu, { query: opts.query, schema });
  }

  /** One row by id, or the row of a singleton menu (id null); undefined when there is none. */
  async get<S extends z.ZodType | undefined = undefined>(
    menu: string,
    id: string | null,
    opts: { proplist?: readonly string[]; schema?: S } = {},
  ): Promise<Out<S> | undefined> {
    const query = id === null ? undefined : [`?.id=${checkId(id)}`];
    const [row] = await this.print(menu, { ...opts, query });
    return row;
  }

  /** `add` → the new id (`!done =ret=*1A`). */
  async add(menu: string, attrs: Readonly<Record<string, AttrValue>>): Promise<string> {
    const rows = await this.send([`${checkMenu(menu)}/add`, ...attributeWords(attrs)]);
    const ret = rows[0]?.['ret'];
    const parsed = rosId.safeParse(ret);
    if (!parsed.success) throw new ValidationError(`${menu} add ret`, `expected a new id, got ${JSON.stringify(ret)}`);
    return parsed.data;
  }

  /** `set`; id null for singleton menus such as /ip/upnp (they take no .id). */
  async set(menu: string, id: string | null, attrs: Readonly<Record<string, AttrValue>>): Promise<void> {
    const idWords = id === null ? [] : [`=.id=${checkId(id)}`];
    await this.send([`${checkMenu(menu)}/set`, ...idWords, ...attributeWords(attrs)]);
  }

  async remove(menu: string, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.send([`${checkMenu(menu)}/remove`, `=.id=${ids.map(checkId).join(',')}`]);
  }

  /** Any other command (`/ip/upnp/interfaces/enable`, `/system/reboot`, ...). Returns the raw rows. */
  async command(menu: string, verb: string, attrs: Readonly<Record<string, AttrValue>> = {}): Promise<Row[]> {
    return this.send([`${checkMenu(menu)}/${checkVerb(verb)}`, ...attributeWords(attrs)]);
  }

  /**
   * Streams changes of a menu. Survives reconnects (opts.onResumed tells the caller to resnapshot).
   * Fails fast with 'down' when not connected.
   */
  listen<S extends z.ZodType | undefined = undefined>(
    menu: string,
    onEvent: (e: ListenEvent<Out<S>>) => void,
    opts: ListenOptions<S> = {},
  ): ListenHandle {
    const link = this.up();
    const entry = this.listens.add(checkMenu(menu), onEvent, opts);
    this.listens.start(entry, link, false);
    return { cancel: () => this.listens.cancel(entry) };
  }
}

function printWords(menu: string, opts: { query?: Query; proplist?: readonly string[] }): string[] {
  const words = [`${checkMenu(menu)}/print`];
  if (opts.proplist) words.push(`=.proplist=${opts.proplist.join(',')}`);
  if (opts.query) words.push(...checkQueryWords(opts.query));
  return words;
}

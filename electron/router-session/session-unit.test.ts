/**
 * RouterSession's state machine with injected timers, random and link opener (no sockets): backoff
 * sequence and cap, fatal errors stop retrying, keepalive timeout, fail-fast without queueing or
 * replay, close during reconnect, one attempt for concurrent connects. Plus the pure helpers.
 */
import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff';
import { RouterConnectionError, RouterTrapError } from './errors';
import { RouterSession, type Timers } from './session';
import type { RouterTarget, SessionState } from './target';
import type { Link, LinkOpener, Row } from './transport';
import { rosDuration, rosInt } from './values';

class ManualTimers implements Timers {
  private next = 1;
  readonly pending = new Map<number, { fn: () => void; ms: number }>();
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.next++;
    this.pending.set(id, { fn, ms });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }
  /** Runs the timer that was set with `ms` (the oldest such one). */
  async fire(ms?: number): Promise<void> {
    const entry = [...this.pending].find(([, t]) => ms === undefined || t.ms === ms);
    if (!entry)
      throw new Error(`no timer of ${ms} ms; pending: ${[...this.pending.values()].map((t) => t.ms).join(',')}`);
    this.pending.delete(entry[0]);
    entry[1].fn();
    await flush();
  }
}

const flush = async (): Promise<void> => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
};

class FakeLink implements Link {
  readonly tls = undefined;
  readonly writes: string[][] = [];
  hang = false;
  closed = false;
  private lost: ((e: RouterConnectionError) => void) | undefined;
  async write(words: string[]): Promise<Row[]> {
    this.writes.push(words);
    if (this.hang) return new Promise<Row[]>(() => undefined);
    const cmd = words[0] ?? '';
    if (cmd === '/system/resource/print') return [{ uptime: '1d2h', version: '7.18.2 (stable)', 'board-name': 'hAP' }];
    if (cmd === '/system/identity/print') return [{ name: 'R1' }];
    if (cmd.startsWith('/ip/upnp/')) throw new RouterTrapError(0, 'no such command or directory (x)');
    return [];
  }
  async each(words: string[], onRow: (row: Row) => void): Promise<number> {
    const rows = await this.write(words);
    rows.forEach(onRow);
    return rows.length;
  }
  stream(): { stop(): Promise<void> } {
    return { stop: async () => undefined };
  }
  onLost(listener: (e: RouterConnectionError) => void): void {
    this.lost = listener;
  }
  async close(): Promise<void> {
    this.closed = true;
  }
  lose(): void {
    this.lost?.(new RouterConnectionError('closed', { cause: 'ECONNRESET' }));
  }
}

function harness(outcomes: Array<'ok' | RouterConnectionError>) {
  const links: FakeLink[] = [];
  let calls = 0;
  const openLink: LinkOpener = async () => {
    calls++;
    const next = outcomes.shift() ?? 'ok';
    if (next !== 'ok') throw next;
    const l = new FakeLink();
    links.push(l);
    return l;
  };
  const timers = new ManualTimers();
  const target: RouterTarget = { host: 'r', port: 8728, transport: 'api', user: 'u', password: 'p', keepaliveMs: 1000 };
  const session = new RouterSession(target, {
    openLink,
    timers,
    random: () => 0.5,
    backoff: { baseMs: 100, maxMs: 1000, jitter: 0.2 },
    keepaliveTimeoutMs: 300,
  });
  const states: SessionState[] = [];
  session.onState((s) => states.push(s));
  return { session, timers, links, states, calls: () => calls };
}

const refused = (): RouterConnectionError => new RouterConnectionError('refused', { host: 'r', port: 8728 });

describe('RouterSession state machine', () => {
  it('reconnects with capped exponential backoff and jitter, then resumes', async () => {
    const h = harness(['ok', refused(), refused(), refused(), refused(), refused()]);
    const caps = await h.session.connect();
    expect(caps).toMatchObject({
      version: '7.18.2 (stable)',
      versionNumber: { major: 7, minor: 18, patch: 2 },
      uptimeSeconds: 93600,
      identity: 'R1',
    });
    expect(caps.menus).toEqual({ upnpPermissions: false, upnpMappings: false, natPmp: true });
    h.links[0]?.lose();
    const delays: number[] = [];
    for (let i = 0; i < 6; i++) {
      const s = h.session.state;
      if (s.kind !== 'reconnecting') throw new Error(`expected reconnecting, got ${s.kind}`);
      expect(s.attempt).toBe(i + 1);
      delays.push(s.inMs);
      await h.timers.fire(s.inMs);
    }
    // base 100 doubling, capped at 1000, times (1 - 0.2 + 0.2 * 0.5) = 0.9
    expect(delays).toEqual([90, 180, 360, 720, 900, 900]);
    expect(h.session.state.kind).toBe('connected');
    expect(h.links).toHaveLength(2);
  });

  it('stops retrying on errors that retrying cannot fix (login, certificate)', async () => {
    const h = harness(['ok', new RouterConnectionError('login', { host: 'r', port: 8728 })]);
    await h.session.connect();
    h.links[0]?.lose();
    const s = h.session.state;
    if (s.kind !== 'reconnecting') throw new Error('not reconnecting');
    await h.timers.fire(s.inMs);
    expect(h.session.state).toMatchObject({ kind: 'disconnected', error: { kind: 'login' } });
    expect([...h.timers.pending.values()]).toEqual([]);
  });

  it('commands while down fail fast; nothing is queued or replayed after the reconnect', async () => {
    const h = harness(['ok', 'ok']);
    await h.session.connect();
    h.links[0]?.lose();
    await expect(h.session.add('/ip/firewall/nat', { chain: 'dstnat' })).rejects.toMatchObject({ kind: 'down' });
    await expect(h.session.print('/interface')).rejects.toMatchObject({ kind: 'down' });
    const s = h.session.state;
    if (s.kind !== 'reconnecting') throw new Error('not reconnecting');
    await h.timers.fire(s.inMs);
    expect(h.session.state.kind).toBe('connected');
    const second = h.links[1];
    expect(second?.writes.some((w) => w[0]?.endsWith('/add') || w[0] === '/interface/print')).toBe(false);
  });

  it('a keepalive without an answer declares the link lost and force-closes it', async () => {
    const h = harness(['ok']);
    await h.session.connect();
    const link = h.links[0] as FakeLink;
    link.hang = true;
    await h.timers.fire(1000); // keepalive due
    expect(link.writes.at(-1)).toEqual(['/system/identity/print']);
    await h.timers.fire(300); // keepalive timeout
    expect(h.session.state).toMatchObject({
      kind: 'reconnecting',
      reason: expect.stringMatching(/no answer to keepalive within 300 ms/),
    });
    expect(link.closed).toBe(true);
  });

  it('a healthy keepalive re-arms itself', async () => {
    const h = harness(['ok']);
    await h.session.connect();
    await h.timers.fire(1000);
    await h.timers.fire(1000);
    expect(h.links[0]?.writes.filter((w) => w[0] === '/system/identity/print').length).toBe(3); // probe + 2
    expect(h.session.state.kind).toBe('connected');
  });

  it('close() during reconnecting cancels the pending attempt', async () => {
    const h = harness(['ok']);
    await h.session.connect();
    h.links[0]?.lose();
    await h.session.close();
    expect(h.session.state).toMatchObject({ kind: 'disconnected', reason: 'closed' });
    expect([...h.timers.pending.values()]).toEqual([]);
    expect(h.calls()).toBe(1);
  });

  it('concurrent connect() calls share one attempt; connect() while reconnecting retries now', async () => {
    const h = harness(['ok', 'ok']);
    const [a, b] = await Promise.all([h.session.connect(), h.session.connect()]);
    expect(a).toBe(b);
    expect(h.calls()).toBe(1);
    h.links[0]?.lose();
    await h.session.connect();
    expect(h.calls()).toBe(2);
    expect([...h.timers.pending.values()].map((t) => t.ms)).toEqual([1000]); // only the keepalive
  });
});

describe('pure helpers', () => {
  it('backoffDelay grows, caps, and stays within the jitter band', () => {
    for (let attempt = 1; attempt <= 40; attempt++) {
      for (const r of [0, 0.25, 0.999]) {
        const d = backoffDelay(attempt, { baseMs: 500, maxMs: 30_000, jitter: 0.3 }, () => r);
        const capped = Math.min(30_000, 500 * 2 ** (attempt - 1));
        expect(d).toBeGreaterThanOrEqual(Math.floor(capped * 0.7));
        expect(d).toBeLessThanOrEqual(capped);
      }
    }
  });

  it.each([
    ['1d2h3m4s', 93784],
    ['300ms', 0.3],
    ['1w', 604800],
    ['2m30s', 150],
    ['0s', 0],
    ['00:05:00', 300],
    ['1d 02:00:00', 93600],
  ])('rosDuration(%j) = %d seconds', (text, seconds) => {
    expect(rosDuration.parse(text)).toBeCloseTo(seconds, 6);
  });

  it('rosInt refuses an integer too large to be exact (a router sending one must not show up as 1e+23)', () => {
    expect(rosInt.parse('9007199254740991')).toBe(9007199254740991);
    expect(rosInt.safeParse('100000000000000000000000').success).toBe(false);
    expect(rosInt.safeParse('1e23').success).toBe(false);
  });

  it.each(['', 'soon', '5x', '1h 2q', 'never'])('rosDuration(%j) is not a duration', (text) => {
    expect(rosDuration.safeParse(text).success).toBe(false);
  });
});

/**
 * Issue 18: a broken or hostile RouterOS API server must not crash, hang or balloon PortPilot. Every
 * attack of testing/hostile-server.ts, against the real link (patched node-routeros over loopback):
 * a typed error naming the router, bounded memory (heap + Buffers sampled in-process while the attack
 * runs), and an end well within a hard bound. Deadlines and limits are injected small so the suite
 * takes seconds; the defaults are checked by the CLI test (electron/cli/hostile-router.test.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RouterConnectionError } from './errors';
import { DEFAULT_WIRE_LIMITS, type Link, type LinkOptions } from './link';
import { RouterSession } from './session';
import type { RouterTarget } from './target';
import { startHostileServer, type HostileOptions, type HostileServer } from './testing/hostile-server';
import { testConnection } from './test-connection';
import { openNodeRouterosLink } from './transport';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn().catch(() => undefined);
});

const MB = 1024 * 1024;
const SMALL = { maxWordBytes: 256 * 1024, maxSentenceBytes: MB, maxReplyBytes: MB, maxReplyRows: 5000 };

async function hostile(opts: HostileOptions): Promise<HostileServer> {
  const s = await startHostileServer(opts);
  cleanups.push(() => s.close());
  return s;
}

function target(port: number, extra: Partial<RouterTarget> = {}): RouterTarget {
  return { host: '127.0.0.1', port, transport: 'api', user: 'admin', password: 'pw', ...extra };
}

async function open(port: number, opts: Partial<LinkOptions> = {}): Promise<Link> {
  const link = await openNodeRouterosLink(target(port), { timeoutMs: 2000, idleTimeoutMs: 30_000, ...opts });
  cleanups.push(() => link.close({ force: true }));
  return link;
}

/** Peak growth of heap + ArrayBuffers (Buffers live outside the heap) while `run` runs. */
async function peakGrowth<T>(run: () => Promise<T>): Promise<{ value: T; growth: number }> {
  const used = (): number => {
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };
  const base = used();
  let peak = base;
  const sampler = setInterval(() => (peak = Math.max(peak, used())), 5);
  try {
    const value = await run();
    peak = Math.max(peak, used());
    return { value, growth: peak - base };
  } finally {
    clearInterval(sampler);
  }
}

/** Fails the test (instead of hanging it) when `p` has not settled after `ms`. */
function within<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still running after ${ms} ms`)), ms);
  });
  return Promise.race([p, bound]).finally(() => clearTimeout(timer));
}

const failure = (p: Promise<unknown>): Promise<unknown> =>
  p.then(
    (v) => ({ unexpectedly: v }),
    (e: unknown) => e,
  );

describe('a hostile router answering a command', () => {
  it('huge word: refused from its length prefix with the default limits, nothing buffered', async () => {
    const s = await hostile({ mode: 'huge-word' });
    const link = await open(s.port);
    const lost = new Promise((r) => link.onLost(r));
    const { value: err, growth } = await peakGrowth(() => within(failure(link.write(['/ip/address/print'])), 5000));
    expect(err).toBeInstanceOf(RouterConnectionError);
    expect(err).toMatchObject({ kind: 'protocol' });
    expect((err as Error).message).toContain(
      '127.0.0.1 sent a 520 MiB word (the limit is 8 MiB): not a RouterOS reply',
    );
    expect(growth).toBeLessThan(32 * MB);
    expect(await lost).toMatchObject({ kind: 'protocol' });
  });

  it('endless rows: a buffered reply stops at its limit', async () => {
    const s = await hostile({ mode: 'endless-rows' });
    const link = await open(s.port, { limits: SMALL });
    const { value: err, growth } = await peakGrowth(() =>
      within(failure(link.write(['/ip/firewall/nat/print'])), 5000),
    );
    expect(err).toMatchObject({ kind: 'protocol' });
    expect((err as Error).message).toMatch(
      /127\.0\.0\.1 sent more than 1 MiB or 5000 rows in reply to \/ip\/firewall\/nat\/print/,
    );
    expect(growth).toBeLessThan(48 * MB);
    expect(s.bytesSent).toBeLessThan(16 * MB);
  });

  it('endless rows read row by row: no reply limit applies, the total deadline ends it', async () => {
    const s = await hostile({ mode: 'endless-rows' });
    const link = await open(s.port, { limits: SMALL, commandTimeoutMs: 400 });
    let rows = 0;
    const { value: err, growth } = await peakGrowth(() =>
      within(failure(link.each(['/ip/firewall/nat/print'], () => rows++)), 5000),
    );
    expect(err).toMatchObject({ kind: 'timeout' });
    expect((err as Error).message).toContain('no complete reply to /ip/firewall/nat/print within 400 ms');
    expect(rows).toBeGreaterThan(SMALL.maxReplyRows);
    expect(growth).toBeLessThan(48 * MB);
  });

  it('a never-ending sentence is cut at the sentence limit', async () => {
    const s = await hostile({ mode: 'endless-sentence' });
    const link = await open(s.port, { limits: SMALL });
    const { value: err, growth } = await peakGrowth(() => within(failure(link.write(['/interface/print'])), 5000));
    expect(err).toMatchObject({ kind: 'protocol' });
    expect((err as Error).message).toContain('sent a sentence of more than 1 MiB or 10000 words without ending it');
    expect(growth).toBeLessThan(48 * MB);
  });

  it('silent: the command deadline ends it and the link reports itself lost', async () => {
    const s = await hostile({ mode: 'silent' });
    const link = await open(s.port, { commandTimeoutMs: 300 });
    const lost = new Promise((r) => link.onLost(r));
    const err = await within(failure(link.write(['/interface/print'])), 5000);
    expect(err).toMatchObject({ kind: 'timeout', detail: { host: '127.0.0.1' } });
    expect((err as Error).message).toContain('no complete reply to /interface/print within 300 ms');
    expect(await lost).toBe(err);
  });

  it('one byte per interval: the deadline is total, not idle', async () => {
    const s = await hostile({ mode: 'trickle', intervalMs: 50 });
    const link = await open(s.port, { commandTimeoutMs: 400 });
    const err = await within(failure(link.write(['/interface/print'])), 5000);
    // 50 ms per byte would finish the ~20-byte reply after ~1 s; the 400 ms deadline ends it first.
    expect(err).toMatchObject({ kind: 'timeout' });
    expect(s.bytesSent).toBeGreaterThan(1);
  });

  it('a reserved length prefix is a protocol error at once, not a timeout', async () => {
    const s = await hostile({ mode: 'reserved-prefix' });
    const link = await open(s.port, { commandTimeoutMs: 30_000 });
    const err = await within(failure(link.write(['/interface/print'])), 5000);
    expect(err).toMatchObject({ kind: 'protocol' });
    expect((err as Error).message).toContain('127.0.0.1 sent the reserved length byte 0xf8: not a RouterOS reply');
  });

  it('!fatal: closed with the reason the router gave', async () => {
    const s = await hostile({ mode: 'fatal', fatalReason: 'too many sessions' });
    const link = await open(s.port);
    const err = await within(failure(link.write(['/interface/print'])), 5000);
    expect(err).toMatchObject({ kind: 'closed' });
    expect((err as Error).message).toContain('too many sessions');
  });

  it('closing mid-sentence: the pending command fails as closed', async () => {
    const s = await hostile({ mode: 'close-mid-sentence' });
    const link = await open(s.port);
    const err = await within(failure(link.write(['/interface/print'])), 5000);
    expect(err).toMatchObject({ kind: 'closed', detail: { host: '127.0.0.1' } });
  });
});

describe('a hostile router during connect', () => {
  function session(port: number, extra: Partial<RouterTarget> = {}): RouterSession {
    const s = new RouterSession(target(port, { connectTimeoutMs: 500, ...extra }), { limits: SMALL });
    cleanups.push(() => s.close());
    return s;
  }

  it('a huge word in reply to the login fails the connect as a protocol error', async () => {
    const s = await hostile({ mode: 'huge-word', stage: 'login' });
    const { value: err, growth } = await peakGrowth(() => within(failure(session(s.port).connect()), 5000));
    expect(err).toMatchObject({ kind: 'protocol' });
    expect(growth).toBeLessThan(32 * MB);
  });

  it('logged in, then silent: the capability probe is inside the connect timeout', async () => {
    const s = await hostile({ mode: 'silent' });
    const sess = session(s.port, { commandTimeoutMs: 60_000 });
    const err = await within(failure(sess.connect()), 5000);
    expect(err).toMatchObject({ kind: 'timeout' });
    expect((err as Error).message).toContain('no answer to the capability probe within 0.5 s');
    expect(sess.state).toMatchObject({ kind: 'disconnected' });
  });

  it('close() during a hanging connect gives up at once', async () => {
    const s = await hostile({ mode: 'silent' });
    const sess = session(s.port, { connectTimeoutMs: 30_000 });
    const pending = failure(sess.connect());
    await new Promise((r) => setTimeout(r, 100));
    await sess.close();
    expect(await within(pending, 2000)).toMatchObject({ kind: 'closed' });
  });
});

describe('"Test connection" against a hostile router', () => {
  it('one byte per interval: the version step fails within the connect timeout', async () => {
    const s = await hostile({ mode: 'trickle', intervalMs: 200 });
    const steps = await within(testConnection(target(s.port, { connectTimeoutMs: 500 })), 5000);
    expect(steps.map((st) => [st.id, st.status])).toEqual([
      ['tcp', 'pass'],
      ['tls', 'skip'],
      ['login', 'pass'],
      ['version', 'fail'],
    ]);
    expect(steps[3]?.detail).toContain('no complete reply to /system/resource/print within 500 ms');
  });
});

describe('limits are generous for real routers', () => {
  it('a 100,000-row NAT table fits the default buffered reply', () => {
    // ~300 bytes per NAT row on the wire (measured: 100,000 rows = 30 MB).
    expect(DEFAULT_WIRE_LIMITS.maxReplyBytes).toBeGreaterThan(100_000 * 600);
    expect(DEFAULT_WIRE_LIMITS.maxReplyRows).toBeGreaterThanOrEqual(1_000_000);
    expect(DEFAULT_WIRE_LIMITS.maxWordBytes).toBeGreaterThanOrEqual(4 * MB);
  });
});

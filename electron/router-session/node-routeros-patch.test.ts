/**
 * Each fix of patches/node-routeros+1.6.9.patch, proven over real sockets: the demo router where it
 * can produce the condition, a scripted peer (scripted-server.test-support.ts) where it cannot.
 * These tests talk to node-routeros directly on purpose: they test the library, not RouterSession.
 */
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RouterOSAPI, type RStream } from 'node-routeros';
import { startDemoRouter, type DemoRouter } from '../demo-router/index';
import { acceptLogin, startScriptedServer, type ScriptedServer } from './scripted-server.test-support';
import { DEFAULT_WIRE_LIMITS } from './link';
import './node-routeros-link'; // declares what the patch adds (RouterOSAPI.destroy, writeEach, limits)

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn().catch(() => undefined);
});

async function demo(profile: 'routeros7' | 'seed' = 'routeros7'): Promise<DemoRouter> {
  const r = await startDemoRouter({ profile, password: 'pw', apiSslPort: null, traffic: false, ssdpPort: null });
  cleanups.push(() => r.stop());
  return r;
}

async function scripted(script: Parameters<typeof startScriptedServer>[0]): Promise<ScriptedServer> {
  const s = await startScriptedServer(script);
  cleanups.push(() => s.close());
  return s;
}

/** No 'error' listener on purpose: an unhandled 'error' event would fail the run (fix d). */
function client(port: number, timeout = 5, password = 'pw'): RouterOSAPI {
  const api = new RouterOSAPI({ host: '127.0.0.1', port, user: 'admin', password, timeout });
  cleanups.push(() => (api.connected ? api.close() : Promise.resolve()));
  return api;
}

function once(api: RouterOSAPI | RStream, event: string): Promise<unknown[]> {
  return new Promise((resolve) => api.once(event, (...args: unknown[]) => resolve(args)));
}

describe('(a) !empty (RouterOS >= 7.18)', () => {
  it('is an empty result, and the connection keeps working', async () => {
    const r = await demo('routeros7');
    const api = client(r.endpoints.apiPort);
    await api.connect();
    expect(await api.write('/interface/print', ['?name=no-such-interface'])).toEqual([]);
    expect(await api.write('/ip/firewall/nat/print', ['?comment=nothing-like-this'])).toEqual([]);
    const rows = await api.write('/system/identity/print');
    expect(rows).toHaveLength(1);
  });
});

describe('(h) the faster reply reader keeps the wire semantics', () => {
  it('reads a word spanning many TCP chunks, win1252 bytes, "=" inside values and long length prefixes', async () => {
    const big = 'x'.repeat(300_000); // a 4-byte length prefix and many 64 KiB socket reads
    const mid = 'y'.repeat(20_000); // a 3-byte prefix
    const s = await scripted(async (cmd, conn) => {
      if (await acceptLogin(cmd, conn)) return;
      const tag = `.tag=${cmd.apiAttributes['tag'] ?? ''}`;
      // 0x80 is the euro sign in win1252 (RouterOS's encoding), 0xE9 is é.
      const win1252 = Buffer.concat([Buffer.from('=comment=caf'), Buffer.from([0xe9, 0x20, 0x80])]);
      await conn.send(['!re', tag, `=big=${big}`, '=mid=' + mid, win1252, '=expr=a=b=c', '=empty=']);
      await conn.send(['!done', tag]);
    });
    const api = client(s.port);
    await api.connect();
    const [row] = (await api.write('/interface/print')) as Array<Record<string, string>>;
    expect(row).toEqual({ big, mid, comment: 'café €', expr: 'a=b=c', empty: '' });
    expect(await api.write('/interface/print')).toHaveLength(1);
  });
});

describe('(l) ASCII words are slices of the chunk decoded once', () => {
  it('keeps every word exact when ASCII, UTF-8 and win1252 words and long length prefixes share a chunk', async () => {
    const long = 'z'.repeat(200); // a 2-byte length prefix, its first byte >= 0x80
    const s = await scripted(async (cmd, conn) => {
      if (await acceptLogin(cmd, conn)) return;
      const tag = `.tag=${cmd.apiAttributes['tag'] ?? ''}`;
      const win1252 = Buffer.concat([Buffer.from('=w='), Buffer.from([0x80, 0xe9])]);
      for (let i = 0; i < 50; i++) {
        await conn.send(['!re', tag, `=long=${long}`, '=utf=Grüße ✓', win1252, `=n=${i}`, '=after=plain']);
      }
      await conn.send(['!done', tag]);
    });
    const api = client(s.port);
    await api.connect();
    const rows = (await api.write('/interface/print')) as Array<Record<string, string>>;
    expect(rows).toHaveLength(50);
    rows.forEach((row, i) => expect(row).toEqual({ long, utf: 'Grüße ✓', w: '€é', n: String(i), after: 'plain' }));
  });
});

describe('(k) debug calls on the per-row path only when their namespace is on', () => {
  type Debug = { enable(ns: string): void; disable(): string; log: (...args: unknown[]) => void };
  const debug = createRequire(import.meta.url)('debug') as Debug;

  async function printLogged(on: boolean): Promise<{ rows: unknown[]; lines: string[] }> {
    const lines: string[] = [];
    const log = debug.log;
    debug.log = (...args: unknown[]) => void lines.push(args.map(String).join(' '));
    if (on) debug.enable('routeros-api:*');
    try {
      const r = await demo('routeros7');
      const api = client(r.endpoints.apiPort);
      await api.connect();
      return { rows: await api.write('/ip/firewall/nat/print'), lines };
    } finally {
      debug.disable();
      debug.log = log;
    }
  }

  it('still logs every sentence with DEBUG=routeros-api:*, and nothing without it', async () => {
    const quiet = await printLogged(false);
    const loud = await printLogged(true);
    expect(quiet.lines).toEqual([]);
    for (const what of ['Got data from the socket', 'Sending to tag', 'Processing reply', 'Parsed line'])
      expect(loud.lines.some((l) => l.includes(what))).toBe(true);
    // One 'Processing reply' per sentence: the login's !done, then each row and the print's !done.
    expect(loud.lines.filter((l) => l.includes('Processing reply'))).toHaveLength(loud.rows.length + 2);
    expect(loud.rows).toEqual(quiet.rows);
  });
});

describe('(b) .tag anywhere, replies split across TCP chunks', () => {
  it('delivers replies whose .tag comes last, sent one byte per TCP write', async () => {
    const s = await scripted(async (cmd, conn) => {
      if (await acceptLogin(cmd, conn)) return;
      const tag = `.tag=${cmd.apiAttributes['tag'] ?? ''}`;
      await conn.send(['!re', '=name=first', tag], { byteByByte: true });
      await conn.send(['!re', tag, '=name=second'], { byteByByte: true });
      // The last reply before a quiet period: the original framing never flushed it.
      await conn.send(['!done', tag], { byteByByte: true });
    });
    const api = client(s.port);
    await api.connect();
    expect(await api.write('/interface/print')).toEqual([{ name: 'first' }, { name: 'second' }]);
    expect(await api.write('/interface/print')).toEqual([{ name: 'first' }, { name: 'second' }]);
  });

  it('routes interleaved replies of two concurrent commands by their tags', async () => {
    const pending: Array<{ tag: string; name: string }> = [];
    const s = await scripted(async (cmd, conn) => {
      if (await acceptLogin(cmd, conn)) return;
      pending.push({ tag: cmd.apiAttributes['tag'] ?? '', name: cmd.word });
      if (pending.length < 2) return;
      const [a, b] = pending.splice(0) as [{ tag: string; name: string }, { tag: string; name: string }];
      await conn.send(['!re', `=cmd=${b.name}`, `.tag=${b.tag}`]);
      await conn.send(['!re', `.tag=${a.tag}`, `=cmd=${a.name}`]);
      await conn.send(['!done', `.tag=${b.tag}`]);
      await conn.send(['!done', `.tag=${a.tag}`]);
    });
    const api = client(s.port);
    await api.connect();
    const [x, y] = await Promise.all([api.write('/one/print'), api.write('/two/print')]);
    expect(x).toEqual([{ cmd: '/one/print' }]);
    expect(y).toEqual([{ cmd: '/two/print' }]);
  });
});

describe('(c) !trap category', () => {
  it('keeps category and message of a trap (unknown menu: category 0)', async () => {
    const r = await demo('routeros7');
    const api = client(r.endpoints.apiPort);
    await api.connect();
    const err = await api.write('/ip/upnp/permissions/print').catch((e: unknown) => e);
    expect(err).toMatchObject({ category: 0, message: expect.stringContaining('no such command') });
  });

  it('leaves category absent when the router sent none, and the stream callback gets it too', async () => {
    const s = await scripted(async (cmd, conn) => {
      if (await acceptLogin(cmd, conn)) return;
      const tag = `.tag=${cmd.apiAttributes['tag'] ?? ''}`;
      if (cmd.word === '/plain/print') await conn.send(['!trap', tag, '=message=plain failure']);
      else await conn.send(['!trap', '=category=1', '=message=bad value', tag]);
      await conn.send(['!done', tag]);
    });
    const api = client(s.port);
    await api.connect();
    const plain = await api.write('/plain/print').catch((e: unknown) => e);
    expect(plain).toMatchObject({ message: 'plain failure' });
    expect((plain as { category?: number }).category).toBeUndefined();
    const viaStream = await new Promise<unknown>((resolve) => {
      api.stream(['/x/listen'], (err: unknown) => resolve(err));
    });
    expect(viaStream).toMatchObject({ category: 1, message: 'bad value' });
  });
});

describe('(d) socket timeout', () => {
  it('an idle timeout after login closes the connection without an unhandled error event', async () => {
    const r = await demo();
    const api = client(r.endpoints.apiPort, 0.5);
    await api.connect();
    const [reason] = await once(api, 'close');
    expect(reason).toMatchObject({ errno: 'SOCKTMOUT' });
    expect(api.connected).toBe(false);
  });

  it('a peer that accepts TCP but never answers the login makes connect reject', async () => {
    const s = await scripted(() => undefined);
    const api = client(s.port, 0.5);
    await expect(api.connect()).rejects.toMatchObject({ errno: 'SOCKTMOUT' });
  });

  it('a refused connection rejects with the Node error code kept', async () => {
    const s = await scripted(() => undefined);
    const port = s.port;
    await s.close();
    const api = client(port);
    await expect(api.connect()).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});

describe('(e) pending commands and streams when the connection dies', () => {
  it('rejects a command waiting for its reply when the router drops the connection', async () => {
    const s = await scripted(async (cmd, conn) => {
      if (await acceptLogin(cmd, conn)) return;
      setTimeout(() => conn.socket.destroy(), 50);
    });
    const api = client(s.port);
    await api.connect();
    await expect(api.write('/never/answered')).rejects.toMatchObject({ errno: 'CONNCLOSED' });
  });

  it('keeps the reason of a !fatal in the error of pending commands and in the close event', async () => {
    const s = await scripted(async (cmd, conn) => {
      if (await acceptLogin(cmd, conn)) return;
      await conn.send(['!fatal', 'session terminated on request']);
      conn.socket.end();
    });
    const api = client(s.port);
    await api.connect();
    const closed = once(api, 'close');
    await expect(api.write('/interface/print')).rejects.toMatchObject({
      message: 'The router ended the session: session terminated on request',
    });
    const [reason] = await closed;
    expect(reason).toMatchObject({ message: expect.stringContaining('session terminated on request') });
  });

  it('destroy() rejects what is pending at once (a hung router) and later writes fail fast', async () => {
    const s = await scripted(async (cmd, conn) => {
      await acceptLogin(cmd, conn);
    });
    const api = client(s.port);
    await api.connect();
    const pending = api.write('/never/answered');
    const reason = Object.assign(new Error('gave up'), { errno: 'CONNCLOSED' });
    api.destroy(reason);
    await expect(pending).rejects.toBe(reason);
    expect(api.connected).toBe(false);
    await expect(api.write('/written/after/death')).rejects.toBe(reason);
  });

  it('ends a listen stream with a trap and close when the demo router stops', async () => {
    const r = await demo();
    const api = client(r.endpoints.apiPort);
    await api.connect();
    const stream = api.writeStream('/ip/firewall/nat/listen');
    const trapped = once(stream, 'trap');
    const closed = once(stream, 'close');
    await new Promise((res) => setTimeout(res, 50));
    await r.stop();
    const [err] = await trapped;
    expect(err).toBeInstanceOf(Error);
    await closed;
  });
});

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Replies to every non-login command with `rows` rows of about 100 bytes, then `!done`. */
async function rowServer(rows: number): Promise<ScriptedServer> {
  return scripted(async (cmd, conn) => {
    if (await acceptLogin(cmd, conn)) return;
    const tag = `.tag=${cmd.apiAttributes['tag'] ?? ''}`;
    for (let i = 0; i < rows; i++)
      await conn.send(['!re', tag, `=.id=*${i.toString(16)}`, `=comment=${'c'.repeat(80)}`]);
    await conn.send(['!done', tag]);
  });
}

describe('(i) limits on what the router sends', () => {
  it('defaults to the limits the app declares (link.ts DEFAULT_WIRE_LIMITS)', () => {
    const { wireLimits } = receiverModule();
    expect(wireLimits(undefined)).toEqual(DEFAULT_WIRE_LIMITS);
    expect(wireLimits({ maxWordBytes: 10, maxReplyRows: -1 })).toEqual({ ...DEFAULT_WIRE_LIMITS, maxWordBytes: 10 });
  });

  it('a buffered reply of exactly maxReplyRows rows is fine; one more row fails the connection', async () => {
    const limits = { maxReplyRows: 50 };
    const ok = new RouterOSAPI({
      host: '127.0.0.1',
      port: (await rowServer(50)).port,
      user: 'a',
      password: 'b',
      limits,
    });
    cleanups.push(() => ok.close());
    await ok.connect();
    expect(await ok.write('/ip/firewall/nat/print')).toHaveLength(50);

    const over = new RouterOSAPI({
      host: '127.0.0.1',
      port: (await rowServer(51)).port,
      user: 'a',
      password: 'b',
      limits,
    });
    await over.connect();
    const closed = once(over, 'close');
    await expect(over.write('/ip/firewall/nat/print')).rejects.toMatchObject({
      errno: 'PROTOCOL',
      message: expect.stringContaining('127.0.0.1 sent more than 64 MiB or 50 rows in reply to /ip/firewall/nat/print'),
    });
    expect((await closed)[0]).toMatchObject({ errno: 'PROTOCOL' });
  });

  it('writeEach hands over rows past maxReplyRows one by one and keeps none', async () => {
    const s = await rowServer(120);
    const api = new RouterOSAPI({
      host: '127.0.0.1',
      port: s.port,
      user: 'a',
      password: 'b',
      limits: { maxReplyRows: 50 },
    });
    cleanups.push(() => api.close());
    await api.connect();
    const seen: string[] = [];
    expect(await api.writeEach(['/ip/firewall/nat/print'], (row) => seen.push(row['.id'] ?? ''))).toBe(120);
    expect(seen[119]).toBe('*77');
  });
});

describe('(j) no keepalive timer outlives the connection', () => {
  // timeout 0.3 s: node-routeros holds a busy connection with a `#` command every 150 ms.
  const HOLD_MS = 150;
  const holdTimers = (spy: { mock: { calls: unknown[][] } }): number =>
    spy.mock.calls.filter(([, ms]) => ms === HOLD_MS).length;

  it('after destroy() while a hold command was in flight', async () => {
    const s = await scripted(async (cmd, conn) => {
      await acceptLogin(cmd, conn);
    });
    const api = client(s.port, 0.3);
    await api.connect();
    void api.write('/never/answered').catch(() => undefined);
    await pause(HOLD_MS + 50);
    const spy = vi.spyOn(globalThis, 'setTimeout');
    try {
      api.destroy(new Error('gave up'));
      await pause(3 * HOLD_MS);
      expect(holdTimers(spy)).toBe(0);
    } finally {
      spy.mockRestore();
    }
  });

  it('after the router closed the connection while a hold timer was pending', async () => {
    const s = await scripted(async (cmd, conn) => {
      if (await acceptLogin(cmd, conn)) return;
      setTimeout(() => conn.socket.destroy(), 20);
    });
    const api = client(s.port, 0.3);
    await api.connect();
    const spy = vi.spyOn(globalThis, 'setTimeout');
    try {
      await api.write('/dropped').catch(() => undefined);
      const armed = holdTimers(spy);
      await pause(3 * HOLD_MS);
      expect(holdTimers(spy)).toBe(armed);
    } finally {
      spy.mockRestore();
    }
  });
});

function receiverModule(): { wireLimits(given: unknown): Record<string, number> } {
  return createRequire(import.meta.url)('node-routeros/dist/connector/Receiver') as {
    wireLimits(given: unknown): Record<string, number>;
  };
}

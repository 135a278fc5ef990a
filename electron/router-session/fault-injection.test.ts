/**
 * Fault injection: the demo router dies mid-session and comes back on the same port. The session
 * must go `reconnecting`, fail commands fast during the outage, reconnect by itself and resume its
 * listen (telling the caller to resnapshot), and a change made after the restart must reach it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startDemoRouter, type DemoRouter } from '../demo-router/index';
import { RouterConnectionError } from './errors';
import type { ListenEvent } from './listens';
import { firewallNatSchema, type FirewallNatRule } from './models';
import { RouterSession } from './session';
import type { SessionState } from './target';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn().catch(() => undefined);
});

async function demo(apiPort = 0): Promise<DemoRouter> {
  const r = await startDemoRouter({ apiPort, password: 'pw', apiSslPort: null, traffic: false, ssdpPort: null });
  cleanups.push(() => r.stop());
  return r;
}

async function until(check: () => boolean, ms = 8000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const ctx = { user: 'admin', remoteAddress: '127.0.0.1' };

describe('RouterSession fault injection', () => {
  it('survives the router going away and coming back on the same port', async () => {
    const first = await demo();
    const port = first.endpoints.apiPort;
    const s = new RouterSession(
      { host: '127.0.0.1', port, transport: 'api', user: 'admin', password: 'pw', keepaliveMs: 1000 },
      { backoff: { baseMs: 50, maxMs: 300, jitter: 0.5 } },
    );
    cleanups.push(() => s.close());
    const states: SessionState[] = [];
    s.onState((st) => states.push(st));
    await s.connect();

    const events: ListenEvent<FirewallNatRule>[] = [];
    let resumed = 0;
    const handle = s.listen('/ip/firewall/nat', (e) => events.push(e), {
      schema: firewallNatSchema,
      onResumed: () => resumed++,
    });
    await s.print('/system/identity');

    await first.stop();
    await until(() => s.state.kind === 'reconnecting');
    const during = await s.print('/ip/firewall/nat').catch((e: unknown) => e);
    expect(during).toBeInstanceOf(RouterConnectionError);
    expect(during).toMatchObject({ kind: 'down' });
    // Let a few attempts fail against the closed port: the delays grow and stay capped.
    await until(() => states.filter((st) => st.kind === 'reconnecting').length >= 3);

    const second = await demo(port);
    await until(() => s.state.kind === 'connected');
    await until(() => resumed === 1);
    const attempts = states.flatMap((st) => (st.kind === 'reconnecting' ? [st] : []));
    expect(attempts.map((a) => a.attempt).slice(0, 3)).toEqual([1, 2, 3]);
    expect(attempts.every((a) => a.inMs <= 300)).toBe(true);
    expect(attempts[0]?.reason).toMatch(/connection lost/);

    // A change made on the restarted router reaches the resumed listen.
    await s.print('/system/identity');
    second.device.command('/ip/firewall/nat', 'add', { chain: 'dstnat', comment: 'after restart' }, ctx);
    await until(() => events.some((e) => e.type === 'upsert' && e.row.comment === 'after restart'));
    // Commands work again.
    expect((await s.printTyped('/system/identity'))[0]?.name).toBe('HomeRouter');
    // The resumed listen can still be cancelled: nothing arrives after the cancel.
    await handle.cancel();
    const seen = events.length;
    second.device.command('/ip/firewall/nat', 'add', { chain: 'dstnat', comment: 'after cancel' }, ctx);
    await s.print('/system/identity');
    await new Promise((res) => setTimeout(res, 100));
    expect(events.length).toBe(seen);
  });

  it('a keepalive that gets no answer declares the link lost', async () => {
    const r = await demo();
    const s = new RouterSession(
      {
        host: '127.0.0.1',
        port: r.endpoints.apiPort,
        transport: 'api',
        user: 'admin',
        password: 'pw',
        keepaliveMs: 200,
      },
      { backoff: { baseMs: 5000, maxMs: 5000 }, keepaliveTimeoutMs: 200 },
    );
    cleanups.push(() => s.close());
    await s.connect();
    // The router stops answering but keeps the TCP connection open (hung router, dead Wi-Fi path).
    const restore = await freezeApiReplies(r);
    cleanups.push(async () => restore());
    await until(() => s.state.kind === 'reconnecting', 4000);
    expect(s.state).toMatchObject({
      kind: 'reconnecting',
      reason: expect.stringMatching(/no answer to keepalive within 200 ms/),
    });
    await expect(s.print('/interface')).rejects.toMatchObject({ kind: 'down' });
  });
});

/**
 * Makes the demo router's API silent without closing its sockets: writes from the server side of
 * the API port (local port = API port) are swallowed. This test file runs in its own process
 * (vitest forks pool), so the patched prototype touches nothing else. Returns the restore function.
 */
async function freezeApiReplies(r: DemoRouter): Promise<() => void> {
  const { default: net } = await import('node:net');
  const original = net.Socket.prototype.write;
  net.Socket.prototype.write = function (this: import('node:net').Socket, ...args: Parameters<typeof original>) {
    if (this.localPort === r.endpoints.apiPort) return true;
    return original.apply(this, args);
  } as typeof original;
  return () => {
    net.Socket.prototype.write = original;
  };
}

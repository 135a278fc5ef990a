/**
 * RouterSession against the demo router over real sockets, in both profiles (routeros7: 7.18+ with
 * `!empty` and no seed menus; seed: the guide's menus).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startDemoRouter, type DemoRouter } from '../demo-router/index';
import { RouterConnectionError, RouterTrapError, ValidationError } from './errors';
import { firewallNatSchema } from './models';
import { q } from './query';
import { RouterSession } from './session';
import type { RouterTarget } from './target';
import type { ListenEvent } from './listens';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn().catch(() => undefined);
});

async function demo(profile: 'routeros7' | 'seed'): Promise<DemoRouter> {
  const r = await startDemoRouter({ profile, password: 'pw', apiSslPort: null, traffic: false, ssdpPort: null });
  cleanups.push(() => r.stop());
  return r;
}

function target(r: DemoRouter, extra: Partial<RouterTarget> = {}): RouterTarget {
  return { host: '127.0.0.1', port: r.endpoints.apiPort, transport: 'api', user: 'admin', password: 'pw', ...extra };
}

function session(t: RouterTarget): RouterSession {
  const s = new RouterSession(t, { backoff: { baseMs: 50, maxMs: 200 } });
  cleanups.push(() => s.close());
  return s;
}

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe.each(['routeros7', 'seed'] as const)('RouterSession against the demo router (%s)', (profile) => {
  it('connects and probes capabilities by trying the menus', async () => {
    const r = await demo(profile);
    const s = session(target(r));
    const states: string[] = [];
    s.onState((st) => states.push(st.kind));
    const caps = await s.connect();
    expect(states).toEqual(['connecting', 'connected']);
    expect(caps.identity).toBe('HomeRouter');
    expect(caps.version).not.toBe('');
    expect(caps.uptimeSeconds).toBeGreaterThanOrEqual(0);
    expect(caps.menus.natPmp).toBe(true);
    expect(caps.menus.upnpPermissions).toBe(profile === 'seed');
    expect(caps.menus.upnpMappings).toBe(profile === 'seed');
    expect(s.state).toMatchObject({ kind: 'connected', capabilities: caps });
  });

  it('prints with queries and proplist, typed rows, and an empty result', async () => {
    const r = await demo(profile);
    const s = session(target(r));
    await s.connect();
    const ether = await s.print('/interface', { query: q.eq('type', 'ether'), proplist: ['name', 'type'] });
    expect(ether.length).toBeGreaterThan(0);
    expect(
      ether.every((row) => row['type'] === 'ether' && Object.keys(row).every((k) => ['name', 'type'].includes(k))),
    ).toBe(true);
    const either = await s.print('/interface', { query: q.or(q.eq('name', 'ether1'), q.eq('name', 'ether2')) });
    expect(either.map((row) => row['name']).sort()).toEqual(['ether1', 'ether2']);
    // routeros7 answers `!empty` here (7.18+); the seed profile a bare `!done`.
    expect(await s.print('/ip/firewall/nat', { query: q.eq('comment', 'no such rule') })).toEqual([]);
    const upnp = await s.printTyped('/ip/upnp');
    expect(typeof upnp[0]?.enabled).toBe('boolean');
    const leases = await s.printTyped('/ip/dhcp-server/lease');
    expect(leases.some((l) => typeof l['expires-after'] === 'number')).toBe(true);
    const dyn = await s.printTyped('/ip/firewall/nat', { query: q.eq('dynamic', 'true') });
    expect(dyn.length).toBeGreaterThan(0);
    expect(dyn.every((rule) => rule.dynamic === true && rule['.id'].startsWith('*'))).toBe(true);
  });

  it('adds, gets, sets and removes a rule; a missing item keeps its trap category', async () => {
    const r = await demo(profile);
    const s = session(target(r));
    await s.connect();
    const id = await s.add('/ip/firewall/nat', {
      chain: 'dstnat',
      action: 'dst-nat',
      comment: 'portpilot test',
      disabled: true,
    });
    expect(id).toMatch(/^\*[0-9A-F]+$/);
    const got = await s.get('/ip/firewall/nat', id, { schema: firewallNatSchema });
    expect(got).toMatchObject({ '.id': id, comment: 'portpilot test', disabled: true });
    await s.set('/ip/firewall/nat', id, { comment: 'changed' });
    expect((await s.get('/ip/firewall/nat', id))?.['comment']).toBe('changed');
    await s.remove('/ip/firewall/nat', [id]);
    expect(await s.get('/ip/firewall/nat', id)).toBeUndefined();
    const err = await s.remove('/ip/firewall/nat', [id]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RouterTrapError);
    expect((err as RouterTrapError).trapMessage).toMatch(/no such item/);
    // Singleton set (no .id) and a generic command keep working after a trap.
    await s.set('/ip/upnp', null, { 'show-dummy-rule': false });
    expect((await s.get('/ip/upnp', null))?.['show-dummy-rule']).toBe('false');
  });

  it('printEach streams the rows of a print; a row that fails validation rejects only that call', async () => {
    const r = await demo(profile);
    const s = session(target(r));
    await s.connect();
    const names: string[] = [];
    const count = await s.printEach('/interface', (row) => names.push(row['name'] ?? ''));
    expect(count).toBe(names.length);
    expect(names.sort()).toEqual((await s.print('/interface')).map((row) => row['name']).sort());
    const bad = await s
      .printEach('/ip/firewall/nat', () => undefined, {
        schema: firewallNatSchema.extend({ chain: z.literal('no-such-chain') }),
      })
      .catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(ValidationError);
    expect(s.state.kind).toBe('connected');
    expect(await s.print('/system/identity')).toHaveLength(1);
  });

  it('reports an unknown menu as a category-0 trap', async () => {
    const r = await demo(profile);
    const s = session(target(r));
    await s.connect();
    const err = await s.print('/ip/no-such-menu').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RouterTrapError);
    expect(err).toMatchObject({ category: 0, isNoSuchCommand: true });
  });

  it('listens with typed events, sees add and removal, and cancels', async () => {
    const r = await demo(profile);
    const s = session(target(r));
    await s.connect();
    const events: ListenEvent<{ '.id': string; comment?: string }>[] = [];
    const handle = s.listen('/ip/firewall/nat', (e) => events.push(e), { schema: firewallNatSchema });
    // The server handles one connection's commands in order: once this answers, the listen is registered.
    await s.print('/system/identity');
    const id = await s.add('/ip/firewall/nat', { chain: 'dstnat', comment: 'watched' });
    await until(() => events.some((e) => e.type === 'upsert' && e.row.comment === 'watched'));
    await s.remove('/ip/firewall/nat', [id]);
    await until(() => events.some((e) => e.type === 'removed' && e.id === id));
    await handle.cancel();
    const before = events.length;
    await s.add('/ip/firewall/nat', { chain: 'dstnat', comment: 'after cancel' });
    await new Promise((res) => setTimeout(res, 100));
    expect(events.length).toBe(before);
    // The connection is still usable after the cancel.
    expect((await s.printTyped('/system/identity'))[0]?.name).toBe('HomeRouter');
  });

  it('a listen the router refuses ends with the trap on onError', async () => {
    const r = await demo(profile);
    const s = session(target(r));
    await s.connect();
    const err = await new Promise<Error>((resolve) => {
      s.listen('/ip/no-such-menu', () => undefined, { onError: resolve });
    });
    expect(err).toBeInstanceOf(RouterTrapError);
    expect(err).toMatchObject({ isNoSuchCommand: true });
    // The link is fine afterwards.
    expect((await s.printTyped('/system/identity'))[0]?.name).toBe('HomeRouter');
  });

  it('refuses a wrong password with a login error that says what to check', async () => {
    const r = await demo(profile);
    const s = session(target(r, { password: 'wrong' }));
    const err = await s.connect().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RouterConnectionError);
    expect((err as RouterConnectionError).kind).toBe('login');
    expect((err as Error).message).toMatch(/user name or password/);
    expect(s.state).toMatchObject({ kind: 'disconnected', error: { kind: 'login' } });
  });
});

describe('RouterSession errors and inputs', () => {
  it('a closed port is "refused" with a hint about /ip service', async () => {
    const r = await demo('routeros7');
    const port = r.endpoints.apiPort;
    await r.stop();
    const s = session({ host: '127.0.0.1', port, transport: 'api', user: 'admin', password: 'pw' });
    const err = await s.connect().catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'refused' });
    expect((err as Error).message).toMatch(/\/ip service/);
  });

  it('an unresolvable name is "dns"', async () => {
    const s = session({ host: 'no-such-router.invalid', port: 8728, transport: 'api', user: 'a', password: 'pw' });
    await expect(s.connect()).rejects.toMatchObject({ kind: 'dns' });
  });

  it('commands before connect fail fast with "down"', async () => {
    const s = session({ host: '127.0.0.1', port: 1, transport: 'api', user: 'a', password: 'pw' });
    await expect(s.print('/interface')).rejects.toMatchObject({ kind: 'down' });
    expect(() => s.listen('/ip/firewall/nat', () => undefined)).toThrow(RouterConnectionError);
  });

  it('refuses malformed menus, ids and property names before sending anything', async () => {
    const r = await demo('routeros7');
    const s = session(target(r));
    await s.connect();
    await expect(s.print('/interface/print\n')).rejects.toBeInstanceOf(ValidationError);
    await expect(s.remove('/ip/firewall/nat', ['1'])).rejects.toBeInstanceOf(ValidationError);
    await expect(s.set('/ip/upnp', null, { 'bad=name': 'x' })).rejects.toBeInstanceOf(ValidationError);
    await expect(s.print('/interface', { query: ['type=ether'] })).rejects.toBeInstanceOf(ValidationError);
  });
});

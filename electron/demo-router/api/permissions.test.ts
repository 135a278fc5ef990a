/**
 * /user, /user/group and group policies over real sockets, with node-routeros as the client: what
 * node-routeros's own integration suite reads (`/user/print`), a read-only login that can look but
 * not change, and a login without the `api` policy.
 */
import { RouterOSAPI } from 'node-routeros';
import { afterEach, describe, expect, it } from 'vitest';
import { startDemoRouter, type DemoRouter } from '../index';
import { READ_USER } from '../device/users';

const routers: DemoRouter[] = [];
const apis: RouterOSAPI[] = [];

afterEach(async () => {
  for (const a of apis.splice(0)) if (a.connected) await a.close().catch(() => undefined);
  for (const r of routers.splice(0)) await r.stop();
});

async function router(scenario: 'home' | 'fresh' = 'home'): Promise<DemoRouter> {
  const r = await startDemoRouter({ scenario, password: 'pw', apiSslPort: null, ssdpPort: null, traffic: false });
  routers.push(r);
  return r;
}

function api(r: DemoRouter, user: string, password = 'pw'): RouterOSAPI {
  const conn = new RouterOSAPI({ host: '127.0.0.1', port: r.endpoints.apiPort, user, password, timeout: 5 });
  conn.on('error', () => undefined);
  apis.push(conn);
  return conn;
}

const trapOf = (p: Promise<unknown>): Promise<string> =>
  p.then(
    () => 'no trap',
    (e: Error) => e.message,
  );

describe('demo router users and group policies', () => {
  it('has /user (admin in full, the scenario’s read user) and the three system groups', async () => {
    const conn = api(await router(), 'admin');
    await conn.connect();
    const users = await conn.write('/user/print', ['=.proplist=name,group']);
    expect(users).toEqual([
      { name: 'admin', group: 'full' },
      { name: READ_USER, group: 'read' },
    ]);
    const groups = await conn.write('/user/group/print', ['=.proplist=name,policy']);
    expect(groups.map((g) => g['name'])).toEqual(['read', 'write', 'full']);
    const full = groups.find((g) => g['name'] === 'full')?.['policy'] ?? '';
    for (const p of ['read', 'write', 'policy', 'api', 'reboot']) expect(full.split(',')).toContain(p);
    expect(groups.find((g) => g['name'] === 'read')?.['policy']).toMatch(/(^|,)!write(,|$)/);
    // Passwords are write-only, as on a router.
    expect(JSON.stringify(await conn.write('/user/print'))).not.toContain('pw');
  });

  it('a fresh router has only admin', async () => {
    const conn = api(await router('fresh'), 'admin');
    await conn.connect();
    expect((await conn.write('/user/print')).map((u) => u['name'])).toEqual(['admin']);
  });

  it('the read user reads everything and is refused every change with RouterOS’s trap', async () => {
    const conn = api(await router(), READ_USER);
    await conn.connect();
    expect((await conn.write('/ip/upnp/print'))[0]).toMatchObject({ enabled: 'true' });
    expect(await trapOf(conn.write('/ip/firewall/filter/add', ['=chain=forward', '=action=accept']))).toBe(
      'not enough permissions (9)',
    );
    expect(await trapOf(conn.write('/ip/upnp/set', ['=enabled=no']))).toBe('not enough permissions (9)');
    expect((await conn.write('/ip/upnp/print'))[0]).toMatchObject({ enabled: 'true' });
  });

  it('a user whose group lacks the api policy cannot log in; users added over the API get their password', async () => {
    const r = await router();
    const admin = api(r, 'admin');
    await admin.connect();
    await admin.write('/user/group/add', ['=name=no-api', '=policy=read,write,winbox,!api']);
    await admin.write('/user/add', ['=name=winbox-only', '=group=no-api', '=password=w1']);
    await admin.write('/user/add', ['=name=auditor', '=group=read', '=password=a1']);
    // node-routeros words the router's `cannot log in` this way.
    expect(await trapOf(api(r, 'winbox-only', 'w1').connect())).toMatch(/Username or password is invalid/);
    // The same password works once the group has the api policy: it was the policy, not the password.
    await admin.write('/user/group/set', ['=numbers=no-api', '=policy=read,write,winbox,api']);
    await api(r, 'winbox-only', 'w1').connect();
    await api(r, 'auditor', 'a1').connect();
    // Renamed with a new password in one set: the new name logs in with it.
    await admin.write('/user/set', ['=numbers=auditor', '=name=auditor2', '=password=a2']);
    expect(await trapOf(api(r, 'auditor2', 'a1').connect())).toMatch(/Username or password is invalid/);
    await api(r, 'auditor2', 'a2').connect();
  });
});

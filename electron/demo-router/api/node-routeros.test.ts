/**
 * Interop proof with an independent client: node-routeros 1.6.9 (the library PortPilot ships), unpatched.
 * It cannot cope with `!empty` (routeros-facts.md), so these servers run without emptyReplies.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RouterOSAPI } from 'node-routeros';
import { startApiServer } from './server';
import { ANON_DH_CLIENT_OPTIONS } from './tls';
import { FakeDevice, waitFor } from './test-support';
import type { RunningServer } from '../api-device';

let device: FakeDevice;
let server: RunningServer;
const apis: RouterOSAPI[] = [];

function api(port: number, extra: Partial<ConstructorParameters<typeof RouterOSAPI>[0]> = {}): RouterOSAPI {
  const conn = new RouterOSAPI({
    host: '127.0.0.1',
    port,
    user: 'admin',
    password: 'secret',
    timeout: 5,
    ...extra,
  });
  // The library emits 'error' on socket problems; an unhandled one would crash the test process.
  conn.on('error', () => {});
  apis.push(conn);
  return conn;
}

beforeEach(async () => {
  device = new FakeDevice();
  server = await startApiServer({ device, host: '127.0.0.1', port: 0 });
});

afterEach(async () => {
  for (const a of apis.splice(0)) {
    if (a.connected) await a.close().catch(() => {});
  }
  await server.close();
});

describe('node-routeros 1.6.9 against the demo router', () => {
  it('logs in, prints with queries and .proplist', async () => {
    const conn = api(server.port);
    await conn.connect();
    const rows = await conn.write('/interface/print', ['?type=ether', '?type=vlan', '?#|!']);
    expect(rows.map((r) => r['name'])).toEqual(['bridge-lan']);
    const some = await conn.write('/interface/print', ['=.proplist=.id,name', '?>mtu=1500']);
    expect(some).toEqual([{ '.id': '*2', name: 'ether2' }]);
  });

  it('refuses a wrong password', async () => {
    const conn = api(server.port, { password: 'wrong' });
    // node-routeros maps the trap text "cannot log in" to its own CANTLOGIN error; any other text
    // would surface as a plain Error with that text instead.
    await expect(conn.connect()).rejects.toMatchObject({ errno: 'CANTLOGIN' });
  });

  it('adds, gets the new id, removes, and sees the trap of a missing item', async () => {
    const conn = api(server.port);
    await conn.connect();
    const added = await conn.write('/ip/firewall/nat/add', ['=chain=dstnat', '=comment=upnp test']);
    expect(added).toEqual([{ ret: '*10' }]);
    expect(device.menus.get('/ip/firewall/nat')?.[0]?.['comment']).toBe('upnp test');
    await conn.write('/ip/firewall/nat/remove', ['=.id=*10']);
    await expect(conn.write('/ip/firewall/nat/remove', ['=.id=*10'])).rejects.toThrow('no such item');
    // The connection keeps working after a trap.
    expect(await conn.write('/ip/upnp/print')).toEqual([
      { enabled: 'true', 'allow-disable-external-interface': 'false' },
    ]);
  });

  it('listens via writeStream, receives changes, and stops (cancel)', async () => {
    const conn = api(server.port);
    await conn.connect();
    const rows: Record<string, string>[] = [];
    const stream = conn.writeStream('/ip/firewall/nat/listen');
    stream.on('data', (row: Record<string, string>) => rows.push(row));
    await waitFor(() => device.listenerCount('/ip/firewall/nat') === 1);
    await conn.write('/ip/firewall/nat/add', ['=chain=dstnat']);
    await conn.write('/ip/firewall/nat/remove', ['=.id=*10']);
    await waitFor(() => rows.length >= 2);
    expect(rows).toEqual([
      { '.id': '*10', chain: 'dstnat' },
      { '.id': '*10', '.dead': 'true' },
    ]);
    await stream.stop();
    expect(device.listenerCount('/ip/firewall/nat')).toBe(0);
    // After the cancel sequence the connection is still usable.
    expect(await conn.write('/interface/print', ['?name=ether1', '=.proplist=name'])).toEqual([{ name: 'ether1' }]);
  });

  it('connects over anonymous-DH API-SSL with the documented client options', async () => {
    const ssl = await startApiServer({ device, host: '127.0.0.1', port: 0, tls: {} });
    try {
      const conn = api(ssl.port, { tls: { ...ANON_DH_CLIENT_OPTIONS } });
      await conn.connect();
      expect((await conn.write('/interface/print', ['?type=vlan'])).map((r) => r['name'])).toEqual(['vlan10']);
      await conn.close();
    } finally {
      await ssl.close();
    }
  });
});

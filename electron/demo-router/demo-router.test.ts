/**
 * The whole demo router through real sockets, with independent peers: node-routeros 1.6.9 (seed
 * profile: the unpatched library cannot take `!empty`), upnpc (miniupnpc) and natpmpc. Bound to
 * 127.0.0.2 so NAT-PMP can take its fixed port 5351 (natpmpc cannot use another one).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import tls from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { RouterOSAPI } from 'node-routeros';
import { afterEach, describe, expect, it } from 'vitest';
import { startDemoRouter, type DemoRouter } from './index';

const run = promisify(execFile);
const HOST = '127.0.0.2';
const routers: DemoRouter[] = [];
const apis: RouterOSAPI[] = [];

afterEach(async () => {
  for (const a of apis.splice(0)) if (a.connected) await a.close().catch(() => undefined);
  for (const r of routers.splice(0)) await r.stop();
});

async function start(opts: Parameters<typeof startDemoRouter>[0]): Promise<DemoRouter> {
  const r = await startDemoRouter({ host: HOST, apiSslPort: null, ...opts });
  routers.push(r);
  return r;
}

async function connect(r: DemoRouter): Promise<RouterOSAPI> {
  const api = new RouterOSAPI({ host: HOST, port: r.endpoints.apiPort, user: 'admin', password: 'pw', timeout: 5 });
  api.on('error', () => undefined);
  apis.push(api);
  await api.connect();
  return api;
}

async function until(check: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((res) => setTimeout(res, 20));
  }
}

describe('demo router over real sockets', () => {
  it('node-routeros: login, queries, add/set/remove, listen sees an upnpc mapping, upnpc deletes it', async () => {
    // upnpc maps for a simulated LAN host (192.168.88.15): --foreign-add allow.
    const r = await start({ profile: 'seed', scenario: 'home', password: 'pw', unknowns: { foreignAdd: 'allow' } });
    const api = await connect(r);
    const dynamic = await api.write('/ip/firewall/nat/print', ['?dynamic=true']);
    expect(dynamic.length).toBe(r.device.backend.list('upnp').length + r.device.backend.list('nat-pmp').length);
    expect(dynamic[0]).toMatchObject({ chain: 'dstnat', action: 'dst-nat', dynamic: 'true', 'in-interface': 'ether1' });
    const [added] = await api.write('/ip/firewall/filter/add', [
      '=chain=forward',
      '=action=log',
      '=protocol=udp',
      '=dst-port=45678',
      '=log-prefix=UPNP-FWD ',
      '=place-before=0',
    ]);
    const id = added?.ret ?? '';
    await api.write('/ip/firewall/filter/set', [`=.id=${id}`, '=comment=watch']);
    const [filter] = await api.write('/ip/firewall/filter/print', [`?.id=${id}`]);
    expect(filter).toMatchObject({ comment: 'watch', 'log-prefix': 'UPNP-FWD ', disabled: 'false' });
    await expect(api.write('/ip/upnp/interfaces/add', ['=interface=ether9', '=type=internal'])).rejects.toThrow(
      'input does not match any value of interface',
    );

    const seen: Array<Record<string, string>> = [];
    const stream = api.writeStream('/ip/firewall/nat/listen');
    stream.on('data', (row: Record<string, string>) => seen.push(row));
    await new Promise((res) => setTimeout(res, 100));
    const url = r.endpoints.rootDescriptionUrl;
    const add = await run('upnpc', ['-u', url, '-e', 'ApplicationX', '-a', '192.168.88.15', '45678', '45678', 'UDP']);
    expect(add.stdout).toMatch(/external .*:45678 UDP is redirected to internal 192\.168\.88\.15:45678/);
    await until(() => seen.some((row) => row.comment === 'upnp 192.168.88.15: ApplicationX'));
    const [rule] = await api.write('/ip/firewall/nat/print', ['?dst-port=45678']);
    expect(rule).toMatchObject({
      protocol: 'udp',
      'to-addresses': '192.168.88.15',
      'to-ports': '45678',
      dynamic: 'true',
      'dst-address': '81.2.69.142',
    });
    const mappings = await api.write('/ip/upnp/mappings/print', ['?dst-port=45678']);
    expect(mappings).toHaveLength(1);
    // The guide's permissions deny privileged ports: 606 Action not authorized.
    const denied = await run('upnpc', ['-u', url, '-a', '192.168.88.15', '80', '80', 'TCP']).catch(
      (e: { stdout: string }) => e,
    );
    expect(denied.stdout).toMatch(/606/);
    const list = await run('upnpc', ['-u', url, '-l']);
    expect(list.stdout).toContain('ApplicationX');
    await run('upnpc', ['-u', url, '-d', '45678', 'UDP']);
    await until(() => seen.some((row) => row['.id'] === rule?.['.id'] && row['.dead'] === 'true'));
    await stream.stop();
    await api.write('/ip/firewall/filter/remove', [`=.id=${id}`]);
  });

  it('routeros7: upnpc gets 725 for a lease; natpmpc reads the external address, maps and unmaps', async () => {
    const r = await start({
      profile: 'routeros7',
      scenario: 'home',
      natpmpPort: 5351,
      unknowns: { foreignAdd: 'allow' },
    });
    const url = r.endpoints.rootDescriptionUrl;
    const leased = await run('upnpc', ['-u', url, '-a', '192.168.88.15', '40001', '40001', 'TCP', '3600']).catch(
      (e: { stdout: string }) => e,
    );
    expect(leased.stdout).toMatch(/725/);
    const ext = await run('natpmpc', ['-g', HOST]);
    expect(ext.stdout).toContain('Public IP address : 81.2.69.142');
    const map = await run('natpmpc', ['-g', HOST, '-a', '5000', '5000', 'udp', '3600']);
    expect(map.stdout).toMatch(/Mapped public port 5000 protocol UDP to local port 5000/);
    const rule = r.device
      .print('/ip/firewall/nat', {}, { user: 'admin', remoteAddress: HOST })
      .find((x) => x['dst-port'] === '5000');
    expect(rule?.comment).toMatch(/^nat-pmp 127\.0\.0\.\d+: /);
    await run('natpmpc', ['-g', HOST, '-a', '5000', '5000', 'udp', '0']);
    expect(r.device.backend.get('nat-pmp', 'udp', 5000)).toBeUndefined();
  });

  it('reboot closes API sessions and drops mappings; API-SSL keeps its certificate in dataDir', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'demo-router-data-'));
    try {
      const r = await start({
        profile: 'seed',
        scenario: 'home',
        password: 'pw',
        apiSslPort: 0,
        dataDir,
        traffic: false,
      });
      const api = await connect(r);
      const closed = new Promise<void>((res) => api.once('close', () => res()));
      await api.write('/system/reboot');
      await closed;
      expect(r.device.backend.list('upnp')).toEqual([]);
      const cert = await readFile(join(dataDir, 'api-ssl.crt'), 'utf8');
      const peer = await new Promise<string>((res, rej) => {
        const s = tls.connect({ host: HOST, port: r.endpoints.apiSslPort ?? 0, rejectUnauthorized: false }, () => {
          res(s.getPeerX509Certificate()?.toString() ?? '');
          s.destroy();
        });
        s.on('error', rej);
      });
      expect(peer.replace(/\s/g, '')).toBe(cert.replace(/\s/g, ''));
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

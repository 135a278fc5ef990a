import dgram from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { buildMulticastSearch, buildUnicastSearch, parseSsdpResponse, IGD_SEARCH_TARGETS } from './ssdp-codec';
import { discoverGateways, suitableLocalAddresses } from './ssdp';
import { startFakeUdp, type FakeUdp } from './test-fakes';

const answer = (location: string, st: string, server = 'Debian/12 UPnP/1.1 MiniUPnPd/2.3.1') =>
  Buffer.from(
    `HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=120\r\nst: ${st}\r\nUsn: uuid:abc::${st}\r\nEXT:\r\nServer: ${server}\r\nLocation: ${location}\r\n\r\n`,
  );

describe('SSDP codec', () => {
  it('builds multicast and unicast M-SEARCH', () => {
    const m = buildMulticastSearch(IGD_SEARCH_TARGETS[0] ?? '', 2);
    expect(m).toBe(
      'M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: "ssdp:discover"\r\nMX: 2\r\nST: urn:schemas-upnp-org:device:InternetGatewayDevice:2\r\n\r\n',
    );
    expect(buildUnicastSearch('ssdp:all', '10.0.0.1', 1900)).not.toContain('MX:');
    expect(IGD_SEARCH_TARGETS).toContain('urn:schemas-upnp-org:service:WANPPPConnection:1');
  });

  it('parses responses with case-insensitive headers and rejects non-answers', () => {
    const r = parseSsdpResponse(answer('http://10.0.0.1:5000/rootDesc.xml', 'upnp:rootdevice').toString());
    expect(r).toMatchObject({
      location: 'http://10.0.0.1:5000/rootDesc.xml',
      st: 'upnp:rootdevice',
      usn: 'uuid:abc::upnp:rootdevice',
      server: expect.stringContaining('MiniUPnPd'),
    });
    expect(parseSsdpResponse('NOTIFY * HTTP/1.1\r\nLOCATION: http://x/\r\n\r\n')).toBeNull();
    expect(parseSsdpResponse('HTTP/1.1 200 OK\r\nST: x\r\n\r\n')).toBeNull();
    expect(parseSsdpResponse('HTTP/1.1 200 OK\r\nLOCATION: file:///etc/passwd\r\n\r\n')).toBeNull();
  });

  it('picks non-internal IPv4 addresses only', () => {
    expect(
      suitableLocalAddresses({
        lo: [{ address: '127.0.0.1', family: 'IPv4', internal: true, netmask: '', mac: '', cidr: null }],
        eth0: [
          { address: '192.168.88.10', family: 'IPv4', internal: false, netmask: '', mac: '', cidr: null },
          { address: 'fe80::1', family: 'IPv6', internal: false, netmask: '', mac: '', cidr: null, scopeid: 1 },
        ],
        eth1: [{ address: '169.254.3.3', family: 'IPv4', internal: false, netmask: '', mac: '', cidr: null }],
      }),
    ).toEqual(['192.168.88.10']);
  });
});

describe('discoverGateways (unicast to fake responders on 127.0.0.1)', () => {
  const servers: FakeUdp[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  it('repeats searches, dedupes by LOCATION and marks the RouterOS gateway', async () => {
    const seen: string[] = [];
    const mini = await startFakeUdp((msg) => {
      const st = /\r\nST: (.*?)\r\n/.exec(msg.toString())?.[1] ?? '';
      seen.push(st);
      return answer('http://127.0.0.1:5000/rootDesc.xml', st);
    });
    const mikrotik = await startFakeUdp((msg) =>
      msg.includes('InternetGatewayDevice:1')
        ? answer(
            'http://127.0.0.2:2828/gateway.xml',
            'urn:schemas-upnp-org:device:InternetGatewayDevice:1',
            'RouterOS/7.16 UPnP/1.0 ...',
          )
        : null,
    );
    servers.push(mini, mikrotik);
    const found = await discoverGateways({
      multicast: false,
      localAddresses: ['127.0.0.1'],
      windowMs: 600,
      repeats: 3,
      unicastTargets: [
        { address: '127.0.0.1', port: mini.port },
        { address: '127.0.0.1', port: mikrotik.port },
      ],
    });
    expect(found).toHaveLength(2);
    const m = found.find((g) => g.location.includes('5000'));
    expect(m?.isRouterOs).toBe(false);
    expect(m?.searchTargets).toHaveLength(IGD_SEARCH_TARGETS.length);
    const mt = found.find((g) => g.location.includes('2828'));
    expect(mt?.isRouterOs).toBe(true);
    expect(mt?.searchTargets).toEqual(['urn:schemas-upnp-org:device:InternetGatewayDevice:1']);
    expect(seen).toHaveLength(3 * IGD_SEARCH_TARGETS.length);
    expect(mini.received[0]?.toString()).toContain(`HOST: 127.0.0.1:${mini.port}`);
  });

  it('searches from each adapter given and records every adapter that heard the gateway (Ethernet + Wi-Fi on one LAN)', async () => {
    const igd = await startFakeUdp((msg) =>
      answer('http://127.0.0.1:5000/rootDesc.xml', /\r\nST: (.*?)\r\n/.exec(msg.toString())?.[1] ?? ''),
    );
    servers.push(igd);
    const found = await discoverGateways({
      multicast: false,
      adapters: [
        { name: 'Ethernet', address: '127.0.0.1' },
        { name: 'WLAN', address: '127.0.0.2' },
      ],
      windowMs: 400,
      repeats: 1,
      unicastTargets: [{ address: '127.0.0.1', port: igd.port }],
    });
    expect(found).toHaveLength(1);
    expect(found[0]?.adapter).toMatch(/^(Ethernet|WLAN)$/);
    expect(found[0]?.heardOn.map((h) => `${h.adapter} ${h.localAddress}`).sort()).toEqual([
      'Ethernet 127.0.0.1',
      'WLAN 127.0.0.2',
    ]);
  });

  it('without adapters or addresses, multicast searches only from physical adapters with a private address', async () => {
    const bound: string[] = [];
    const found = await discoverGateways({
      windowMs: 50,
      repeats: 1,
      searchTargets: [],
      networkInterfaces: () => ({
        Ethernet: [
          {
            address: '192.168.178.24',
            netmask: '255.255.255.0',
            family: 'IPv4',
            mac: 'a4:bb:6d:12:34:56',
            internal: false,
            cidr: null,
          },
        ],
        'vEthernet (WSL)': [
          {
            address: '172.29.160.1',
            netmask: '255.255.240.0',
            family: 'IPv4',
            mac: '00:15:5d:8a:41:07',
            internal: false,
            cidr: null,
          },
        ],
      }),
      // A socket that records where it would bind and refuses: no packet leaves this machine.
      createSocket: () => {
        const socket = dgram.createSocket('udp4');
        socket.bind = ((_port: number, address: string) => {
          bound.push(address);
          queueMicrotask(() => socket.emit('error', new Error('not in a test')));
          return socket;
        }) as typeof socket.bind;
        return socket;
      },
    });
    expect(found).toEqual([]);
    expect(bound).toEqual(['192.168.178.24']);
  });

  it('resolves empty after the window when nobody answers', async () => {
    const silent = await startFakeUdp(() => null);
    servers.push(silent);
    const t0 = Date.now();
    await expect(
      discoverGateways({
        multicast: false,
        localAddresses: ['127.0.0.1'],
        windowMs: 300,
        unicastTargets: [{ address: '127.0.0.1', port: silent.port }],
      }),
    ).resolves.toEqual([]);
    expect(Date.now() - t0).toBeLessThan(1500);
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseIpRoute, parseNetRouteJson, parseNetstatRoutes, parseProcNetRoute, parseRoutePrint } from './route-table';

/** A recorded output as the child process hands it over: bytes decoded as latin1 (see run-command.ts). */
const fixture = (name: string): string =>
  readFileSync(new URL(`./fixtures/routes/${name}`, import.meta.url)).toString('latin1');

describe('Windows route print -4', () => {
  it('English: both defaults (Ethernet 25, Wi-Fi 35), lowest metric first, the interface as this PC’s address', () => {
    expect(parseRoutePrint(fixture('windows-en-ethernet-wifi-wsl.route-print.txt'))).toEqual([
      { prefixLength: 0, gateway: '192.168.178.1', iface: '', localAddress: '192.168.178.24', metric: 25 },
      { prefixLength: 0, gateway: '192.168.178.1', iface: '', localAddress: '192.168.178.37', metric: 35 },
    ]);
  });

  it('German, OpenVPN def1: the /1 pair over the TAP adapter; the persistent route (4 fields) is not a live one', () => {
    const text = fixture('windows-de-openvpn-def1.route-print.txt');
    expect(text).toContain('Aktive Routen');
    expect(parseRoutePrint(text)).toEqual([
      { prefixLength: 0, gateway: '192.168.178.1', iface: '', localAddress: '192.168.178.24', metric: 25 },
      { prefixLength: 1, gateway: '10.8.0.5', iface: '', localAddress: '10.8.0.6', metric: 257 },
      { prefixLength: 1, gateway: '10.8.0.5', iface: '', localAddress: '10.8.0.6', metric: 257 },
    ]);
  });

  it('German, Tailscale exit node: "Auf Verbindung" is an on-link route without a gateway', () => {
    expect(parseRoutePrint(fixture('windows-de-tailscale-exit-node.route-print.txt'))).toEqual([
      { prefixLength: 0, gateway: null, iface: '', localAddress: '100.101.102.103', metric: 5 },
      { prefixLength: 0, gateway: '192.168.1.1', iface: '', localAddress: '192.168.1.64', metric: 35 },
    ]);
  });

  it('reads on-link in any language, one word or several (French "Sur la liaison", Japanese "リンク上")', () => {
    const rows = ['0.0.0.0 0.0.0.0 Sur la liaison 10.6.0.2 5', '0.0.0.0 0.0.0.0 リンク上 10.6.0.3 6'];
    expect(parseRoutePrint(rows.join('\r\n')).map((r) => [r.gateway, r.localAddress])).toEqual([
      [null, '10.6.0.2'],
      [null, '10.6.0.3'],
    ]);
  });

  it('ignores garbage, truncated rows and out-of-range numbers', () => {
    const text = [
      '0.0.0.0 0.0.0.0 192.168.1.1 192.168.1.2',
      '0.0.0.0 0.0.0.0 192.168.1.1 192.168.1.300 25',
      '0.0.0.0 0.0.0.0 192.168.1.1 192.168.1.2 -1',
      '0.0.0.0 0.0.0.0 192.168.1.1 192.168.1.2 25 extra',
      '10.0.0.0 0.0.0.0 192.168.1.1 192.168.1.2 25',
      '\u0000\u00ff'.repeat(1000),
    ].join('\r\n');
    expect(parseRoutePrint(text)).toEqual([]);
  });
});

describe('Windows Get-NetRoute JSON (the fallback)', () => {
  it('adds the interface metric to the route metric; NextHop 0.0.0.0 is on-link', () => {
    expect(parseNetRouteJson(fixture('windows-de-tailscale-exit-node.get-netroute.json'))).toEqual([
      { prefixLength: 0, gateway: null, iface: 'Tailscale', localAddress: null, metric: 5 },
      { prefixLength: 0, gateway: '192.168.1.1', iface: 'WLAN', localAddress: null, metric: 35 },
    ]);
  });

  it('reads the single object PowerShell prints for one route, and survives bad JSON', () => {
    expect(parseNetRouteJson(fixture('windows-en-single-route.get-netroute.json'))).toEqual([
      { prefixLength: 0, gateway: '192.168.178.1', iface: 'Ethernet', localAddress: null, metric: 25 },
    ]);
    expect(parseNetRouteJson('')).toEqual([]);
    expect(parseNetRouteJson('{"NextHop": 5}')).toEqual([]);
    expect(parseNetRouteJson('[null, 1, "x", {"DestinationPrefix":"10.0.0.0/8"}]')).toEqual([]);
    expect(parseNetRouteJson('Get-NetRoute : Access denied')).toEqual([]);
  });
});

describe('macOS netstat -rn -f inet', () => {
  it('WireGuard utun: the 0/1 + 128.0/1 pair, the en0 default, the scoped on-link utun default — in table order', () => {
    expect(parseNetstatRoutes(fixture('macos-14-wireguard-utun.netstat-rn.txt'))).toEqual([
      { prefixLength: 1, gateway: '10.64.0.1', iface: 'utun4', localAddress: null, metric: null, scoped: false },
      { prefixLength: 0, gateway: '192.168.1.1', iface: 'en0', localAddress: null, metric: null, scoped: false },
      { prefixLength: 0, gateway: null, iface: 'utun4', localAddress: null, metric: null, scoped: true },
      { prefixLength: 1, gateway: '10.64.0.1', iface: 'utun4', localAddress: null, metric: null, scoped: false },
    ]);
  });

  it('Ethernet + Wi-Fi: the second service’s default is scoped (flag I)', () => {
    expect(parseNetstatRoutes(fixture('macos-13-ethernet-wifi.netstat-rn.txt'))).toEqual([
      { prefixLength: 0, gateway: '192.168.1.1', iface: 'en7', localAddress: null, metric: null, scoped: false },
      { prefixLength: 0, gateway: '192.168.1.1', iface: 'en0', localAddress: null, metric: null, scoped: true },
    ]);
  });

  it('finds Netif by the header on macOS 10.14 and older (Refs, Use columns), and needs a header at all', () => {
    expect(parseNetstatRoutes(fixture('macos-10.14-old-columns.netstat-rn.txt'))).toEqual([
      { prefixLength: 0, gateway: '10.0.1.1', iface: 'en0', localAddress: null, metric: null, scoped: false },
    ]);
    expect(parseNetstatRoutes('default 10.0.1.1 UGSc en0')).toEqual([]);
  });
});

describe('Linux', () => {
  it('ip -4 route: lowest metric first; src is this PC’s address', () => {
    expect(parseIpRoute(fixture('linux-wifi-ethernet-docker.ip-route.txt'))).toEqual([
      { prefixLength: 0, gateway: '10.0.0.1', iface: 'enp0s31f6', localAddress: '10.0.0.17', metric: 100 },
      { prefixLength: 0, gateway: '192.168.1.1', iface: 'wlp2s0', localAddress: '192.168.1.50', metric: 600 },
    ]);
  });

  it('ip -4 route: OpenVPN’s /1 pair kept, a linkdown default dropped', () => {
    expect(parseIpRoute(fixture('linux-openvpn-def1.ip-route.txt'))).toEqual([
      { prefixLength: 1, gateway: '10.8.0.1', iface: 'tun0', localAddress: null, metric: 0 },
      { prefixLength: 1, gateway: '10.8.0.1', iface: 'tun0', localAddress: null, metric: 0 },
      { prefixLength: 0, gateway: '192.168.1.1', iface: 'wlp2s0', localAddress: '192.168.1.50', metric: 600 },
    ]);
  });

  it('/proc/net/route: little-endian hex, the /1 pair, an on-link default without RTF_GATEWAY', () => {
    expect(parseProcNetRoute(fixture('linux-openvpn-def1.proc-net-route.txt'))).toEqual([
      { prefixLength: 1, gateway: '10.8.0.1', iface: 'tun0', localAddress: null, metric: 0 },
      { prefixLength: 1, gateway: '10.8.0.1', iface: 'tun0', localAddress: null, metric: 0 },
      { prefixLength: 0, gateway: '192.168.1.1', iface: 'wlp2s0', localAddress: null, metric: 600 },
      { prefixLength: 0, gateway: null, iface: 'wg0', localAddress: null, metric: 900 },
    ]);
  });

  it('the build VM’s captured table reads the same from /proc and from ip', () => {
    const proc = parseProcNetRoute(fixture('linux-build-vm.proc-net-route.txt'));
    const ip = parseIpRoute(fixture('linux-build-vm.ip-route.txt'));
    expect(proc).toEqual([{ prefixLength: 0, gateway: '192.0.2.1', iface: 'eth0', localAddress: null, metric: 0 }]);
    expect(ip).toEqual(proc);
  });

  it('skips malformed /proc rows', () => {
    const header = 'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n';
    const rows = [
      'eth0\t00000000\tZZZZZZZZ\t0003\t0\t0\t0\t00000000\t0\t0\t0',
      'eth0\t00000000\t0100000A\t0002\t0\t0\t0\t00000000\t0\t0\t0', // not RTF_UP
      'eth0\t00000000\t0100000A\t0003\t0\t0\tx\t00000000\t0\t0\t0',
      'eth0\t00000000\t0100000A',
    ];
    expect(parseProcNetRoute(header + rows.join('\n'))).toEqual([
      { prefixLength: 0, gateway: null, iface: 'eth0', localAddress: null, metric: 0 },
    ]);
  });
});

import { readFileSync } from 'node:fs';
import type os from 'node:os';
import { describe, expect, it } from 'vitest';
import { listAdapters } from './adapters';
import { chooseDefaultRoute, defaultGateway, findDefaultGateway, readDefaultRoutes } from './default-gateway';
import { HostNetworkError } from './errors';
import type { RunCommand } from './run-command';

type Ifaces = NodeJS.Dict<os.NetworkInterfaceInfo[]>;
const routes = (name: string): string =>
  readFileSync(new URL(`./fixtures/routes/${name}`, import.meta.url)).toString('latin1');
const ifaces = (name: string): Ifaces =>
  JSON.parse(readFileSync(new URL(`./fixtures/interfaces/${name}.json`, import.meta.url), 'utf8')) as Ifaces;
const v4 = (address: string, mac: string, netmask = '255.255.255.0'): os.NetworkInterfaceInfo => ({
  address,
  netmask,
  family: 'IPv4',
  mac,
  internal: false,
  cidr: null,
});

/** A fake runner answering each command with a recorded output (or an error), and remembering the calls. */
function fakeRun(answers: Record<string, string | Error>): RunCommand & { calls: string[] } {
  const calls: string[] = [];
  const run = (async (file: string, args: readonly string[]) => {
    const cmd = `${file} ${args.join(' ')}`;
    calls.push(cmd);
    const key = Object.keys(answers).find((k) => cmd.startsWith(k));
    const answer = key === undefined ? new Error(`unexpected ${cmd}`) : answers[key];
    if (answer instanceof Error || answer === undefined) throw answer;
    return answer;
  }) as RunCommand & { calls: string[] };
  run.calls = calls;
  return run;
}

const noFile = async (): Promise<string> => Promise.reject(new Error('ENOENT'));

describe('Windows', () => {
  const ROUTE = 'C:\\Windows\\System32\\ROUTE.EXE PRINT -4';
  const PS = 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe';

  it('Ethernet + Wi-Fi to one router: Ethernet (metric 25 < 35), named from its address', async () => {
    const run = fakeRun({ [ROUTE]: routes('windows-en-ethernet-wifi-wsl.route-print.txt') });
    const choice = await findDefaultGateway({
      platform: 'win32',
      run,
      systemRoot: 'C:\\Windows',
      networkInterfaces: () => ifaces('windows-11-de'),
    });
    expect(choice).toMatchObject({
      gateway: '192.168.178.1',
      iface: 'Ethernet',
      localAddress: '192.168.178.24',
      internetVia: null,
    });
    expect(choice.evidence).toContain(
      'default gateway 192.168.178.1 on "Ethernet" (this PC: 192.168.178.24): the lowest metric among physical adapters',
    );
    expect(choice.evidence).toContain('  default via 192.168.178.1 on "WLAN" 192.168.178.37/24 (metric 35)');
    expect(run.calls).toEqual([ROUTE]); // by full path: never whatever "route" PATH finds first
  });

  it('German, OpenVPN def1: the LAN router, and the VPN named as where Internet traffic goes', async () => {
    const run = fakeRun({ [ROUTE]: routes('windows-de-openvpn-def1.route-print.txt') });
    const choice = await findDefaultGateway({
      platform: 'win32',
      run,
      systemRoot: 'C:\\Windows',
      networkInterfaces: () => ({
        Ethernet: [v4('192.168.178.24', 'a4:bb:6d:12:34:56')],
        'Ethernet 2': [v4('10.8.0.6', '00:ff:3e:9a:1b:2c', '255.255.255.252')],
      }),
    });
    expect(choice).toMatchObject({
      gateway: '192.168.178.1',
      iface: 'Ethernet',
      internetVia: { iface: 'Ethernet 2', why: 'TAP-Windows VPN adapter (MAC 00:FF)' },
    });
  });

  it('German, Tailscale exit node (lowest metric, on-link): the Wi-Fi router is still the gateway', async () => {
    const run = fakeRun({ [ROUTE]: routes('windows-de-tailscale-exit-node.route-print.txt') });
    const choice = await findDefaultGateway({
      platform: 'win32',
      run,
      systemRoot: 'C:\\Windows',
      networkInterfaces: () => ({
        WLAN: [v4('192.168.1.64', '3c:58:c2:aa:bb:cc')],
        Tailscale: [v4('100.101.102.103', '00:00:00:00:00:00', '255.255.255.255')],
      }),
    });
    expect(choice).toMatchObject({
      gateway: '192.168.1.1',
      iface: 'WLAN',
      internetVia: { iface: 'Tailscale', why: 'Tailscale VPN' },
    });
  });

  it('a VPN default with a gateway and a lower metric loses to the physical adapter', () => {
    const table = {
      source: 'route print -4',
      routes: [
        { prefixLength: 0 as const, gateway: '10.8.0.5', iface: '', localAddress: '10.8.0.6', metric: 3 },
        { prefixLength: 0 as const, gateway: '192.168.1.1', iface: '', localAddress: '192.168.1.64', metric: 35 },
      ],
    };
    const adapters = listAdapters({
      'OpenVPN Data Channel Offload': [v4('10.8.0.6', '00:00:00:00:00:00')],
      WLAN: [v4('192.168.1.64', '3c:58:c2:aa:bb:cc')],
    });
    expect(chooseDefaultRoute(table, adapters)).toMatchObject({
      gateway: '192.168.1.1',
      internetVia: { iface: 'OpenVPN Data Channel Offload', why: 'OpenVPN / TAP / TUN VPN adapter' },
    });
  });

  it('falls back to Get-NetRoute (UTF-8 JSON) when route.exe cannot run; says so when neither can', async () => {
    const run = fakeRun({
      [ROUTE]: new HostNetworkError('timeout', 'route print -4 did not finish'),
      [PS]: routes('windows-de-tailscale-exit-node.get-netroute.json'),
    });
    const table = await readDefaultRoutes({ platform: 'win32', run, systemRoot: 'C:\\Windows' });
    expect(table.source).toBe('Get-NetRoute (PowerShell)');
    expect(table.routes.map((r) => r.iface)).toEqual(['Tailscale', 'WLAN']);
    expect(run.calls[1]).toMatch(/-NoProfile -NonInteractive -Command \[Console\]::OutputEncoding/);
    const broken = fakeRun({ [ROUTE]: new Error('route: boom'), [PS]: new Error('powershell: blocked by policy') });
    await expect(
      readDefaultRoutes({ platform: 'win32', run: broken, systemRoot: 'C:\\Windows' }),
    ).rejects.toMatchObject({
      code: 'command-failed',
      message: expect.stringMatching(/route: boom.*powershell: blocked by policy/),
    });
  });
});

describe('macOS', () => {
  const NETSTAT = '/usr/sbin/netstat -rn -f inet';

  it('WireGuard full tunnel: en0’s router, and utun4 named as where Internet traffic goes', async () => {
    const choice = await findDefaultGateway({
      platform: 'darwin',
      run: fakeRun({ [NETSTAT]: routes('macos-14-wireguard-utun.netstat-rn.txt') }),
      networkInterfaces: () => ifaces('macos-14'),
    });
    expect(choice).toMatchObject({
      gateway: '192.168.1.1',
      iface: 'en0',
      localAddress: '192.168.1.23',
      internetVia: { iface: 'utun4', why: 'VPN tunnel' },
    });
  });

  it('Ethernet + Wi-Fi: the unscoped default of the primary service, first in the table', async () => {
    const choice = await findDefaultGateway({
      platform: 'darwin',
      run: fakeRun({ [NETSTAT]: routes('macos-13-ethernet-wifi.netstat-rn.txt') }),
      networkInterfaces: () => ({
        en7: [v4('192.168.1.31', '00:e0:4c:68:01:02')],
        en0: [v4('192.168.1.23', 'f0:18:98:12:34:56')],
      }),
    });
    expect(choice).toMatchObject({
      gateway: '192.168.1.1',
      iface: 'en7',
      localAddress: '192.168.1.31',
      internetVia: null,
    });
    expect(choice.evidence.join('\n')).toMatch(/first in the table among physical adapters/);
    expect(choice.evidence.join('\n')).toMatch(
      /default via 192.168.1.1 on "en0" 192.168.1.23\/24 \(interface-scoped\)/,
    );
  });
});

describe('Linux', () => {
  it('reads /proc/net/route; the lowest metric wins; the VPN’s /1 pair is reported', async () => {
    const choice = await findDefaultGateway({
      platform: 'linux',
      readFile: async (p) => (p === '/proc/net/route' ? routes('linux-openvpn-def1.proc-net-route.txt') : ''),
      run: fakeRun({}),
      networkInterfaces: () => ifaces('linux-laptop'),
    });
    expect(choice).toMatchObject({
      gateway: '192.168.1.1',
      iface: 'wlp2s0',
      localAddress: '192.168.1.50',
      internetVia: { iface: 'tun0', why: 'OpenVPN / TAP / TUN VPN adapter' },
    });
    expect(choice.evidence[0]).toBe('default routes (/proc/net/route):');
  });

  it('without /proc, asks iproute2: the docked Ethernet (metric 100) over Wi-Fi (600)', async () => {
    const run = fakeRun({ 'ip -4 route show': routes('linux-wifi-ethernet-docker.ip-route.txt') });
    const choice = await findDefaultGateway({
      platform: 'linux',
      readFile: noFile,
      run,
      networkInterfaces: () => ifaces('linux-laptop'),
    });
    expect(choice).toMatchObject({ gateway: '10.0.0.1', iface: 'enp0s31f6', localAddress: '10.0.0.17' });
    expect(run.calls).toEqual(['ip -4 route show']);
  });

  it('the build VM’s captured table', async () => {
    await expect(
      defaultGateway({
        platform: 'linux',
        readFile: async () => routes('linux-build-vm.proc-net-route.txt'),
        networkInterfaces: () => ifaces('linux-build-vm'),
      }),
    ).resolves.toBe('192.0.2.1');
  });
});

describe('no gateway', () => {
  it('explains a table without a default route, and an unsupported OS', async () => {
    const header = routes('linux-build-vm.proc-net-route.txt').split('\n')[0] ?? '';
    await expect(
      defaultGateway({ platform: 'linux', readFile: async () => header, networkInterfaces: () => ({}) }),
    ).rejects.toMatchObject({ code: 'no-gateway', message: expect.stringContaining('/proc/net/route') });
    await expect(defaultGateway({ platform: 'aix' })).rejects.toMatchObject({
      code: 'unsupported-platform',
      message: expect.stringContaining('pass the gateway'),
    });
  });

  it('an on-link tunnel default alone is no gateway', () => {
    const table = {
      source: 'ip -4 route show',
      routes: [{ prefixLength: 0 as const, gateway: null, iface: 'wg0', localAddress: null, metric: 0 }],
    };
    expect(chooseDefaultRoute(table, [])).toBeNull();
  });
});

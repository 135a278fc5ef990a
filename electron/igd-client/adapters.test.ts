import { readFileSync } from 'node:fs';
import type os from 'node:os';
import { describe, expect, it } from 'vitest';
import {
  adapterOnSubnet,
  classifyAdapter,
  discoveryAdapters,
  inSubnet,
  listAdapters,
  maskToPrefix,
  type Adapter,
} from './adapters';

type Ifaces = NodeJS.Dict<os.NetworkInterfaceInfo[]>;
const recorded = (name: string): Ifaces =>
  JSON.parse(readFileSync(new URL(`./fixtures/interfaces/${name}.json`, import.meta.url), 'utf8')) as Ifaces;

const kinds = (list: Adapter[]): Record<string, string> =>
  Object.fromEntries(list.map((a) => [`${a.name} ${a.address}`, a.kind]));
const used = (list: Adapter[]): string[] => list.map((a) => `${a.name} ${a.address}`);

describe('adapter classification on recorded os.networkInterfaces() shapes', () => {
  it('Windows 11 (German): Ethernet and WLAN are physical; vEthernet, VirtualBox by MAC, VMware, TAP, Tailscale, ZeroTier, hotspot are not', () => {
    const all = listAdapters(recorded('windows-11-de'));
    expect(kinds(all)).toEqual({
      'Ethernet 192.168.178.24': 'physical',
      'WLAN 192.168.178.37': 'physical',
      'vEthernet (WSL (Hyper-V firewall)) 172.29.160.1': 'virtual',
      'vEthernet (Default Switch) 172.17.80.1': 'virtual',
      'Ethernet 3 192.168.56.1': 'virtual',
      'VMware Network Adapter VMnet8 192.168.232.1': 'virtual',
      'OpenVPN TAP-Windows6 169.254.83.107': 'tunnel',
      'Tailscale 100.101.102.103': 'tunnel',
      'ZeroTier One [8056c2e21c000001] 10.147.20.5': 'tunnel',
      'LAN-Verbindung* 10 192.168.137.1': 'virtual',
      'Bluetooth-Netzwerkverbindung 169.254.12.7': 'physical',
      'Loopback Pseudo-Interface 1 127.0.0.1': 'virtual',
    });
    expect(all.find((a) => a.name === 'Ethernet 3')).toMatchObject({
      matchedBy: 'mac',
      why: 'VirtualBox host-only adapter (MAC 0A:00:27)',
    });
    const sel = discoveryAdapters(all);
    expect(used(sel.use)).toEqual(['Ethernet 192.168.178.24', 'WLAN 192.168.178.37']);
    expect(sel.skipped.map((s) => `${s.adapter.name}: ${s.why}`)).toContain(
      'vEthernet (WSL (Hyper-V firewall)): Hyper-V / WSL virtual switch',
    );
    expect(sel.skipped.map((s) => s.adapter.name)).not.toContain('Bluetooth-Netzwerkverbindung'); // link-local: never a candidate
  });

  it('macOS 14: en0 only; utun4 (no MAC) is a tunnel, bridge100 a VM bridge, IPv6-only adapters absent', () => {
    const all = listAdapters(recorded('macos-14'));
    expect(kinds(all)).toEqual({
      'lo0 127.0.0.1': 'virtual',
      'en0 192.168.1.23': 'physical',
      'utun4 10.64.0.2': 'tunnel',
      'bridge100 192.168.64.1': 'virtual',
    });
    expect(used(discoveryAdapters(all).use)).toEqual(['en0 192.168.1.23']);
  });

  it('Linux laptop: both physical LANs; Docker, libvirt, VirtualBox, Tailscale, WireGuard, ZeroTier, tun left out', () => {
    const all = listAdapters(recorded('linux-laptop'));
    const sel = discoveryAdapters(all);
    expect(used(sel.use)).toEqual(['enp0s31f6 10.0.0.17', 'wlp2s0 192.168.1.50']);
    expect(Object.fromEntries(sel.skipped.map((s) => [s.adapter.name, s.why]))).toEqual({
      docker0: 'Docker bridge',
      'br-3f2a9c1d4e5b': 'Docker bridge',
      virbr0: 'virtual machine or container bridge',
      vboxnet0: 'VirtualBox host-only network',
      tailscale0: 'Tailscale VPN',
      wg0: 'WireGuard VPN',
      ztrf26abcd: 'ZeroTier virtual network',
      tun0: 'OpenVPN / TAP / TUN VPN adapter',
    });
  });

  it('the build VM (captured): no private address, so its one physical adapter is used, with a note', () => {
    const sel = discoveryAdapters(listAdapters(recorded('linux-build-vm')));
    expect(used(sel.use)).toEqual(['eth0 192.0.2.2']);
    expect(sel.notes.join(' ')).toMatch(/no adapter has a private \(RFC 1918\) address/);
  });
});

describe('adapter selection', () => {
  const vmGuest = listAdapters({
    enp0s3: [
      {
        address: '10.0.2.15',
        netmask: '255.255.255.0',
        family: 'IPv4',
        mac: '08:00:27:3d:1f:aa',
        internal: false,
        cidr: '10.0.2.15/24',
      },
    ],
    docker0: [
      {
        address: '172.17.0.1',
        netmask: '255.255.0.0',
        family: 'IPv4',
        mac: '02:42:11:22:33:44',
        internal: false,
        cidr: null,
      },
    ],
  });

  it('inside a VM the NIC has the hypervisor’s OUI: kept when it carries the default route', () => {
    expect(used(discoveryAdapters(vmGuest).use)).toEqual([]);
    const sel = discoveryAdapters(vmGuest, { routeIface: 'enp0s3' });
    expect(used(sel.use)).toEqual(['enp0s3 10.0.2.15']);
    expect(sel.notes[0]).toMatch(/runs inside that virtual machine/);
    // A name match is not overridden by the route: docker0 never carries a LAN.
    expect(used(discoveryAdapters(vmGuest, { routeIface: 'docker0' }).use)).toEqual([]);
  });

  it('the user’s choice wins, whatever the adapter is; an unknown name is an error that lists the others', () => {
    const all = listAdapters(recorded('windows-11-de'));
    const sel = discoveryAdapters(all, { choose: 'vethernet (default switch)' });
    expect(used(sel.use)).toEqual(['vEthernet (Default Switch) 172.17.80.1']);
    expect(sel.notes[0]).toMatch(/the adapter you chose/);
    expect(() => discoveryAdapters(all, { choose: 'Wi-Fi' })).toThrow(
      expect.objectContaining({ code: 'unknown-adapter', message: expect.stringContaining('"WLAN"') }),
    );
  });

  it('names and MACs', () => {
    expect(classifyAdapter('vEthernet (WSL)', '00:15:5d:00:00:01').why).toBe('Hyper-V / WSL virtual switch');
    expect(classifyAdapter('Ethernet 2', '00:FF:AA:BB:CC:DD')).toMatchObject({ kind: 'tunnel', matchedBy: 'mac' });
    expect(classifyAdapter('Local Area Connection* 2', '3e:00:00:00:00:01').kind).toBe('virtual');
    expect(classifyAdapter('WLAN', '3c:58:c2:aa:bb:cc')).toEqual({ kind: 'physical', why: null, matchedBy: null });
    expect(classifyAdapter('ppp0', '')).toMatchObject({ kind: 'tunnel', matchedBy: 'name' });
  });
});

describe('subnets', () => {
  it('masks and membership', () => {
    expect(maskToPrefix('255.255.240.0')).toBe(20);
    expect(maskToPrefix('255.255.255.255')).toBe(32);
    expect(maskToPrefix('0.0.0.0')).toBe(0);
    expect(maskToPrefix('255.0.255.0')).toBe(32);
    expect(inSubnet('192.168.178.1', '192.168.178.24', 24)).toBe(true);
    expect(inSubnet('192.168.179.1', '192.168.178.24', 24)).toBe(false);
    expect(inSubnet('172.29.175.255', '172.29.160.1', 20)).toBe(true);
    expect(inSubnet('x', '172.29.160.1', 20)).toBe(false);
  });

  it('finds the adapter on the router’s subnet, a physical one first', () => {
    const all = listAdapters(recorded('windows-11-de'));
    expect(adapterOnSubnet(all, '192.168.178.1')?.name).toBe('Ethernet');
    expect(adapterOnSubnet(all, '172.29.160.7')?.name).toBe('vEthernet (WSL (Hyper-V firewall))');
    expect(adapterOnSubnet(all, '127.0.0.1')?.name).toBe('Loopback Pseudo-Interface 1');
    expect(adapterOnSubnet(all, '8.8.8.8')).toBeUndefined();
  });
});

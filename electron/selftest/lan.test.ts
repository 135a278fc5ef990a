// The self-test on multi-homed PCs and PCs behind something else (issue 15), with the engine's fakes.
import { describe, expect, it } from 'vitest';
import type { SelfTestStep } from '../../shared/domains/selftest';
import { listAdapters } from '../igd-client/adapters';
import type { GatewayChoice } from '../igd-client/default-gateway';
import { runSelfTest } from './engine';
import { routerLanAddress } from './lan';
import { FAKE_PC, fakeWorld } from './test-fakes';

const step = (steps: SelfTestStep[], id: string): SelfTestStep => {
  const s = steps.find((x) => x.id === id);
  if (!s) throw new Error(`no step ${id}`);
  return s;
};

const route = (o: Partial<GatewayChoice>): GatewayChoice => ({
  gateway: '192.168.88.1',
  iface: 'Ethernet',
  localAddress: '192.168.88.30',
  adapter: null,
  internetVia: null,
  evidence: ['default gateway …'],
  ...o,
});

/** A fake world that records the NAT-PMP host and the SSDP search it was asked for. */
function recordingWorld(opts: { router?: boolean } = {}) {
  const w = fakeWorld(opts);
  const natHosts: string[] = [];
  const searches: Parameters<typeof w.ports.findGateways>[0][] = [];
  const natPmpClient = w.ports.natPmpClient;
  const findGateways = w.ports.findGateways;
  w.ports.natPmpClient = (t) => (natHosts.push(t.host), natPmpClient(t));
  w.ports.findGateways = (o) => (searches.push(o), findGateways(o));
  return { w, natHosts, searches };
}

describe('the router’s LAN address', () => {
  const adapters = listAdapters(FAKE_PC);
  const rows = [
    { address: '81.2.69.142/24', interface: 'ether1', disabled: 'false' },
    { address: '10.99.0.1/24', interface: 'guest', disabled: 'true' },
    { address: '192.168.88.1/24', interface: 'bridge', disabled: 'false' },
  ];

  it('is the address PortPilot is connected to when that is on this PC’s subnet', () => {
    expect(routerLanAddress('192.168.88.1', rows, adapters)).toMatchObject({
      address: '192.168.88.1',
      how: 'connected-host',
      adapter: { name: 'Ethernet' },
      routerAddresses: ['81.2.69.142', '192.168.88.1'],
    });
  });

  it('else the router’s /ip/address on this PC’s subnet (connected by its WAN address, a VPN, a name)', () => {
    for (const host of ['81.2.69.142', 'router.example.net', '10.8.0.1'])
      expect(routerLanAddress(host, rows, adapters)).toMatchObject({ address: '192.168.88.1', how: 'router-address' });
  });

  it('is none when no router address is on this PC’s subnets; disabled, invalid and malformed rows do not count', () => {
    const elsewhere = [
      { address: '10.99.0.1/24', interface: 'guest', disabled: 'true' },
      { address: '192.168.88.1/24', interface: 'bridge', invalid: 'true' },
      { address: '192.168.88.1', interface: 'x' },
      { address: 'bogus/24' },
      { address: '192.168.88.1/99' },
    ];
    expect(routerLanAddress('81.2.69.142', elsewhere, adapters)).toBeNull();
  });
});

describe('self-test with the connected router on this PC’s LAN', () => {
  it('uses the router’s LAN address for NAT-PMP and the unicast search, and says when the default gateway is another device', async () => {
    const { w, natHosts, searches } = recordingWorld();
    w.ports.defaultRoute = async () =>
      route({ gateway: '192.168.88.254', evidence: ['default gateway 192.168.88.254'] });
    const r = await runSelfTest(w.ports, { routerHost: '81.2.69.142' });
    expect(natHosts).toEqual(['192.168.88.1']);
    expect(searches[0]?.unicastTargets).toEqual([{ address: '192.168.88.1', port: undefined }]);
    expect(searches[0]?.adapters).toEqual([{ name: 'Ethernet', address: '192.168.88.30' }]);
    const discover = step(r.steps, 'discover').evidence.join('\n');
    expect(discover).toContain('the router’s LAN address is 192.168.88.1 (its /ip/address on this PC’s subnet');
    expect(discover).toContain(
      'multicast from "Ethernet" 192.168.88.30/24; unicast to 192.168.88.1:1900 (the router’s LAN address)',
    );
    expect(discover).toContain('not searching from "vEthernet (WSL)" 172.29.160.1/20: Hyper-V / WSL virtual switch');
    expect(step(r.steps, 'natpmp-map').evidence[0]).toBe(
      'NAT-PMP gateway 192.168.88.1: the connected router’s LAN address on this PC’s subnet; this PC is 192.168.88.30 toward it',
    );
    expect(r.findings.find((f) => f.id === 'gateway-elsewhere')).toMatchObject({
      severity: 'warn',
      title: 'This PC’s default gateway is another device',
      detail: expect.stringContaining('sends Internet traffic to 192.168.88.254 on "Ethernet"'),
    });
    expect(r.ok).toBe(true); // a warning, not a failure: the router itself works
  });

  it('no finding when the default gateway is one of the router’s addresses', async () => {
    const { w } = recordingWorld();
    const r = await runSelfTest(w.ports, { routerHost: '192.168.88.1' });
    expect(r.findings).toEqual([]);
  });

  it('says when the router is not on this PC’s network at all', async () => {
    const { w, natHosts } = recordingWorld();
    if (w.router) w.router.menus['/ip/address'] = [{ address: '81.2.69.142/24', interface: 'ether1' }];
    const r = await runSelfTest(w.ports, { routerHost: '81.2.69.142' });
    expect(r.findings.find((f) => f.id === 'gateway-elsewhere')?.title).toBe('The router is not on this PC’s network');
    expect(natHosts).toEqual(['192.168.88.1']); // then the UPnP gateway's host, as before
  });

  it('a VPN carrying Internet traffic is a finding; the LAN router is still tested', async () => {
    const { w, searches } = recordingWorld({ router: false });
    w.ports.defaultRoute = async () =>
      route({ internetVia: { iface: 'utun4', why: 'VPN tunnel' }, iface: 'en0', evidence: ['the OS sends …'] });
    const r = await runSelfTest(w.ports);
    expect(r.findings.find((f) => f.id === 'vpn')).toMatchObject({
      detail: expect.stringContaining('through "utun4" (VPN tunnel)'),
    });
    expect(searches[0]?.unicastTargets).toEqual([{ address: '192.168.88.1', port: undefined }]);
  });
});

describe('self-test on a multi-homed PC', () => {
  it('searches only from the adapter the user chose; an unknown one fails the discover step and names the others', async () => {
    const { w, searches } = recordingWorld();
    await runSelfTest(w.ports, { adapter: 'vEthernet (WSL)' });
    expect(searches[0]?.adapters).toEqual([{ name: 'vEthernet (WSL)', address: '172.29.160.1' }]);
    const r = await runSelfTest(w.ports, { adapter: 'WLAN' });
    expect(step(r.steps, 'discover')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('no adapter named "WLAN"'),
    });
    expect(step(r.steps, 'discover').detail).toContain('"Ethernet", "vEthernet (WSL)"');
  });

  it('shows which adapter found the gateway and maps for it', async () => {
    const { w } = recordingWorld();
    const r = await runSelfTest(w.ports);
    expect(step(r.steps, 'discover').evidence.join('\n')).toMatch(/RouterOS — answered on "Ethernet"/);
    expect(step(r.steps, 'description').evidence).toContain(
      'this PC is 192.168.88.30 on "Ethernet" 192.168.88.30/24 as the gateway sees it: the adapter that found it',
    );
    expect(w.igd.addCalls[0]?.internalClient).toBe('192.168.88.30');
  });

  it('warns when the OS reaches the gateway from another adapter than the one that found it', async () => {
    const { w } = recordingWorld();
    const g = w.gateways[0];
    if (g) g.gateway.heardOn = [{ adapter: 'WLAN', localAddress: '192.168.88.31' }];
    const r = await runSelfTest(w.ports);
    expect(r.findings.find((f) => f.id === 'adapter-mismatch')).toMatchObject({
      severity: 'warn',
      detail: expect.stringContaining(
        'answered on "WLAN" (192.168.88.31), but the OS sends traffic for 192.168.88.1 from 192.168.88.30',
      ),
    });
    // The mapping is for the address the gateway sees: gateways map only for the asking address.
    expect(w.igd.addCalls[0]?.internalClient).toBe('192.168.88.30');
  });
});

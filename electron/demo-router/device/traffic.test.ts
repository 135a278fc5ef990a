import { describe, expect, it } from 'vitest';
import type { Row } from '../api-device';
import { FakeClock, seededRandom } from './clock';
import { DemoDevice } from './device';
import { cmd } from './scenarios/base';
import { buildScenario } from './scenarios/index';
import { HOME_STALE_MAPPINGS } from './scenarios/home';
import { TrafficSimulator } from './traffic';

const ctx = { user: 'admin', remoteAddress: '127.0.0.1' };

function running(scenario: 'home' | 'large', opts: ConstructorParameters<typeof TrafficSimulator>[1] = {}, seed = 7) {
  const clock = new FakeClock();
  const dev = new DemoDevice({ clock, random: seededRandom(seed) });
  buildScenario(dev, scenario);
  const sim = new TrafficSimulator(dev, opts);
  sim.attach();
  dev.start();
  return { dev, clock };
}

const natRows = (dev: DemoDevice): Row[] => dev.print('/ip/firewall/nat', {}, ctx).filter((r) => r.dynamic === 'true');

describe('simulated traffic', () => {
  it('moves counters of live mappings only, and fills /ip/firewall/connection', () => {
    const { dev, clock } = running('home');
    clock.advance(20_000);
    const stale = new Set(HOME_STALE_MAPPINGS.map((m) => m.address));
    const rows = natRows(dev);
    for (const r of rows.filter((x) => stale.has(x['to-addresses'] ?? ''))) expect(r.bytes).toBe('0');
    const live = rows.filter((x) => !stale.has(x['to-addresses'] ?? ''));
    expect(live.filter((r) => Number(r.bytes) > 0).length).toBeGreaterThan(live.length / 2);
    expect(live.every((r) => Number(r.bytes) >= Number(r.packets))).toBe(true);
    const conns = dev.print('/ip/firewall/connection', {}, ctx);
    expect(conns.length).toBeGreaterThan(0);
    expect(conns[0]).toMatchObject({ dstnat: 'true' });
    expect(conns[0]?.['dst-address']).toMatch(/^81\.2\.69\.142:\d+$/);
    expect(conns[0]?.timeout).toMatch(/^\d/);
    const ether1 = dev.print('/interface', {}, ctx).find((r) => r.name === 'ether1');
    expect(Number(ether1?.['rx-byte'])).toBeGreaterThan(0);
  });

  it('is deterministic for a seed', () => {
    const a = running('home', {}, 3);
    const b = running('home', {}, 3);
    a.clock.advance(5000);
    b.clock.advance(5000);
    expect(natRows(a.dev).map((r) => r.bytes)).toEqual(natRows(b.dev).map((r) => r.bytes));
  });

  it("writes firewall log lines for a logging filter rule (the guide's UPNP-FWD example)", () => {
    const { dev, clock } = running('home');
    cmd(dev, '/ip/firewall/filter', 'add', {
      chain: 'forward',
      protocol: 'udp',
      'dst-port': '3074',
      action: 'log',
      'log-prefix': 'UPNP-FWD ',
      'place-before': '0',
    });
    clock.advance(10_000);
    const lines = dev.print('/log', {}, ctx).filter((l) => l.topics === 'firewall,info');
    expect(lines.length).toBeGreaterThan(0);
    expect(lines[0]?.message).toMatch(
      /^UPNP-FWD forward: in:ether1 out:bridge-lan, connection-state:new proto UDP, [\d.]+:\d+->192\.168\.88\.2[01]:3074, NAT/,
    );
    expect(Number(dev.print('/ip/firewall/filter', {}, ctx)[0]?.packets)).toBeGreaterThan(0);
  });

  it('reports counter changes to listen at most once per rule per second', () => {
    const { dev, clock } = running('home');
    const events = new Map<string, number>();
    dev.listen('/ip/firewall/nat', (r) => events.set(r['.id'] ?? '', (events.get(r['.id'] ?? '') ?? 0) + 1));
    clock.advance(10_000);
    expect(events.size).toBeGreaterThan(0);
    for (const n of events.values()) expect(n).toBeLessThanOrEqual(10);
  });

  it("seed: clients on the network renew their leases, so only absent hosts' leases run out", () => {
    const clock = new FakeClock();
    const dev = new DemoDevice({ profile: 'seed', clock, random: seededRandom(1) });
    buildScenario(dev, 'home');
    new TrafficSimulator(dev, { roamChance: 0 }).attach();
    dev.start();
    dev.backend.add({
      source: 'upnp',
      protocol: 'tcp',
      externalPort: 45000,
      internalAddress: '192.168.88.50',
      internalPort: 45000,
      description: 'gone',
      leaseSeconds: 600,
      remoteHost: '',
      enabled: true,
      clientAddress: '192.168.88.50',
      allowAlternativePort: false,
    });
    clock.advance(2 * 3600_000);
    expect(dev.backend.get('upnp', 'tcp', 6881)?.description).toBe('qBittorrent/4.6.5');
    expect(dev.backend.get('upnp', 'tcp', 45000)).toBeUndefined();
  });

  it("after a reboot the apps of present hosts map again; stale hosts' mappings stay gone", async () => {
    const { dev, clock } = running('home', { roamChance: 0 });
    dev.reboot();
    expect(dev.backend.list('upnp')).toEqual([]);
    clock.advance(60_000);
    const ports = new Set(dev.backend.list('upnp').map((e) => `${e.protocol}/${e.externalPort}`));
    expect(ports.has('udp/3074')).toBe(true);
    expect(ports.has('tcp/32400')).toBe(true);
    for (const m of HOME_STALE_MAPPINGS) expect(ports.has(`${m.protocol}/${m.port}`)).toBe(false);
    expect(dev.backend.list('nat-pmp').length).toBe(2);
  });

  it('roaming hosts leave ARP and come back; their lease follows', () => {
    const { dev, clock } = running('home', { roamChance: 1 });
    const arp = () => new Set(dev.print('/ip/arp', {}, ctx).map((r) => r.address));
    expect(arp().has('192.168.88.31')).toBe(true);
    clock.advance(1000);
    expect(arp().has('192.168.88.31')).toBe(false);
    expect(dev.print('/ip/dhcp-server/lease', {}, ctx).find((l) => l.address === '192.168.88.31')?.status).toBe(
      'waiting',
    );
    clock.advance(1000);
    expect(arp().has('192.168.88.31')).toBe(true);
  });

  it('stays cheap with 10,000 mappings', () => {
    const { dev, clock } = running('large');
    const started = performance.now();
    clock.advance(60_000);
    expect((performance.now() - started) / 60).toBeLessThan(25);
    expect(dev.table('/ip/firewall/connection').size).toBeLessThanOrEqual(512);
  });
});

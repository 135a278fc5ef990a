import { afterEach, describe, expect, it } from 'vitest';
import { DemoDevice } from '../demo-router/device/device';
import { buildScenario } from '../demo-router/device/scenarios/index';
import { HOME_LIVE_MAPPINGS, HOME_STALE_MAPPINGS } from '../demo-router/device/scenarios/home';
import { deviceRouterPort } from '../../tests/support/device-router-port';
import { startDemoRouter, type DemoRouter } from '../demo-router/index';
import { applyDeltas, monitorHarness } from './testing/harness';
import { connectSessionPort } from './testing/session-port';
import type { RouterSession } from '../router-session';

const HOME_COUNT = HOME_LIVE_MAPPINGS.length + HOME_STALE_MAPPINGS.length;
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

const settle = () => new Promise((r) => setTimeout(r, 40));

async function until(check: () => boolean, ms = 8000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

function homeDevice(profile: 'routeros7' | 'seed' = 'routeros7'): DemoDevice {
  const dev = new DemoDevice({ profile });
  buildScenario(dev, 'home');
  return dev;
}

describe('MappingMonitor on the device (no sockets)', () => {
  it('snapshot joins rules with owners, source and description parsed from the comment', async () => {
    const dev = homeDevice();
    const h = await monitorHarness(deviceRouterPort(dev), { realVendors: true });
    cleanups.push(() => h.monitor.stop());
    await h.monitor.start();
    await h.vendors.load();
    await h.monitor.refreshEnrichment();
    const list = h.monitor.list();
    expect(list).toHaveLength(HOME_COUNT);
    const ps5 = h.monitor.get('udp/3074');
    expect(ps5).toMatchObject({
      source: 'upnp',
      description: 'PS5 PSN 3074',
      internalAddress: '192.168.88.20',
      internalPort: 3074,
    });
    expect(ps5?.owner.hostName).toBe('PS5-Living-Room');
    expect(ps5?.owner.vendor).toMatch(/Sony Interactive/);
    expect(ps5?.owner.present).toBe(true);
    expect(h.monitor.get('tcp/4500')).toMatchObject({ source: 'nat-pmp', description: 'iCloud Private Relay' });
    const xbox = h.monitor.get('udp/3075');
    expect(xbox).toMatchObject({ internalPort: 3074 });
    expect(xbox?.owner.vendor).toMatch(/Microsoft/);
    // The stale ones: owners left days ago.
    const stale = list
      .filter((v) => v.status === 'stale')
      .map((v) => v.id)
      .sort();
    expect(stale).toEqual(['tcp/51413', 'udp/26712', 'udp/51413', 'udp/9307']);
    expect(h.monitor.get('udp/9307')?.staleReasons[0]?.detail).toMatch(/PS4-Bedroom left the network 9 days ago/);
  });

  it('pushes adds, updates and removes from listen as batched deltas, never a static rule', async () => {
    const dev = homeDevice();
    const h = await monitorHarness(deviceRouterPort(dev));
    cleanups.push(() => h.monitor.stop());
    await h.monitor.start();
    await settle();
    const add = dev.backend.add({
      source: 'upnp',
      protocol: 'tcp',
      externalPort: 443,
      internalAddress: '192.168.88.30',
      internalPort: 8443,
      description: 'web',
      leaseSeconds: 0,
      remoteHost: '',
      enabled: true,
      clientAddress: '192.168.88.30',
      allowAlternativePort: false,
    });
    expect(add.ok).toBe(true);
    dev.command(
      '/ip/firewall/nat',
      'add',
      { chain: 'dstnat', action: 'dst-nat', protocol: 'tcp', 'dst-port': '80', 'to-addresses': '192.168.88.10' },
      { user: 't', remoteAddress: '127.0.0.1' },
    );
    await settle();
    expect(h.monitor.get('tcp/443')).toMatchObject({ internalPort: 8443, description: 'web' });
    expect(h.monitor.get('tcp/80')).toBeUndefined();
    expect(h.notices.flatMap((n) => n.reasons)).toContain('privileged-port');
    expect(dev.backend.remove('upnp', 'tcp', 443, '192.168.88.30').ok).toBe(true);
    await settle();
    expect(h.monitor.get('tcp/443')).toBeUndefined();
    const seen = applyDeltas(h.deltas);
    expect([...seen.keys()].sort()).toEqual(
      h.monitor
        .list()
        .map((v) => v.id)
        .sort(),
    );
    expect(h.deltas.length).toBeLessThanOrEqual(4);
  });

  it('keeps first-seen across a restart of the app (history per profile)', async () => {
    const dev = homeDevice();
    const first = await monitorHarness(deviceRouterPort(dev));
    await first.monitor.start();
    const seenAt = first.monitor.get('udp/3074')?.firstSeenAt;
    await first.monitor.stop();
    await new Promise((r) => setTimeout(r, 5));
    const second = await monitorHarness(deviceRouterPort(dev), { files: first.files });
    await second.monitor.start();
    cleanups.push(() => second.monitor.stop());
    expect(second.monitor.get('udp/3074')?.firstSeenAt).toBe(seenAt);
    expect(second.monitor.historyView().points.length).toBeGreaterThan(0);
  });
});

describe.each(['routeros7', 'seed'] as const)('MappingMonitor over real sockets (%s)', (profile) => {
  async function live(): Promise<{
    router: DemoRouter;
    session: RouterSession;
    h: Awaited<ReturnType<typeof monitorHarness>>;
  }> {
    const router = await startDemoRouter({ profile, password: 'pw', apiSslPort: null, traffic: false, ssdpPort: null });
    cleanups.push(() => router.stop());
    const { port, session } = await connectSessionPort({
      host: '127.0.0.1',
      port: router.endpoints.apiPort,
      transport: 'api',
      user: 'admin',
      password: 'pw',
    });
    cleanups.push(() => session.close());
    const h = await monitorHarness(port);
    cleanups.push(() => h.monitor.stop());
    await h.monitor.start();
    return { router, session, h };
  }

  it('snapshot + listen, then reconciles after a router reboot: no duplicates, nothing lost, removed gone', async () => {
    const { router, h } = await live();
    expect(h.monitor.list()).toHaveLength(HOME_COUNT);
    const req = {
      source: 'upnp' as const,
      protocol: 'udp' as const,
      internalAddress: '192.168.88.40',
      description: 'x',
      leaseSeconds: 0,
      remoteHost: '',
      enabled: true,
      clientAddress: '192.168.88.40',
      allowAlternativePort: false,
    };
    router.device.backend.add({ ...req, externalPort: 41000, internalPort: 41000 });
    await until(() => h.monitor.get('udp/41000') !== undefined);
    router.reboot();
    // After the reboot the present hosts' apps re-map (demo behaviour); add one more while we resync.
    router.device.backend.add({ ...req, externalPort: 41001, internalPort: 41001 });
    await until(() => h.monitor.currentStatus().phase === 'live' && h.monitor.get('udp/41001') !== undefined, 15_000);
    await settle();
    const truth = router.device.backend.store
      .list()
      .map((m) => `${m.protocol}/${m.externalPort}`)
      .sort();
    const ids = h.monitor
      .list()
      .map((v) => v.id)
      .sort();
    expect(ids).toEqual(truth);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).not.toContain('udp/41000');
    expect([...applyDeltas(h.deltas).keys()].sort()).toEqual(truth);
  });
});

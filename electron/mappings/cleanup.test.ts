import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { deviceRouterPort } from '../../tests/support/device-router-port';
import { DemoDevice } from '../demo-router/device/device';
import { buildScenario } from '../demo-router/device/scenarios/index';
import { startDemoRouter } from '../demo-router/index';
import { IgdClient } from '../igd-client';
import { createMappingsService } from '../services/mappings/mappings-service';
import { Cleanup } from './cleanup';
import { systemMappingsClock } from './clock';
import { memoryFileStore } from './file-store';
import type { IgdDelete } from './strategies';
import { monitorHarness, noVendors } from './testing/harness';
import { connectSessionPort } from './testing/session-port';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});
const STALE = ['tcp/51413', 'udp/26712', 'udp/51413', 'udp/9307'];
const LOCAL = { user: 't', remoteAddress: '127.0.0.1' };

async function setup(dev: DemoDevice, igdDelete?: IgdDelete) {
  const port = deviceRouterPort(dev);
  const h = await monitorHarness(port);
  cleanups.push(() => h.monitor.stop());
  await h.monitor.start();
  const cleanup = new Cleanup({ clock: systemMappingsClock(), igdDelete, onProgress: () => {} });
  return { port, h, cleanup };
}

const device = (profile: 'routeros7' | 'seed') => {
  const dev = new DemoDevice({ profile });
  buildScenario(dev, 'home');
  return dev;
};

describe('cleanup removal strategies against the demo router', () => {
  it('seed: /ip/upnp/mappings remove, reported per mapping', async () => {
    const dev = device('seed');
    const { port, h, cleanup } = await setup(dev);
    const preview = cleanup.preview(h.monitor.list());
    expect(preview.candidates.map((c) => c.mapping.id).sort()).toEqual(STALE);
    const summary = await cleanup.run(port, preview.previewId, STALE);
    expect(summary).toMatchObject({ removed: 4, skipped: 0, failed: 0 });
    expect(summary.outcomes.every((o) => o.result === 'removed' && o.strategy === 'upnp-mappings-remove')).toBe(true);
    expect(dev.backend.store.list().map((m) => `${m.protocol}/${m.externalPort}`)).not.toContain('udp/9307');
  });

  it('routeros7: NAT-rule removal is refused, IGD delete from this PC is refused for another host, a confirmed restart removes them', async () => {
    const router = await startDemoRouter({
      profile: 'routeros7',
      password: 'pw',
      apiSslPort: null,
      traffic: false,
      ssdpPort: null,
    });
    cleanups.push(() => router.stop());
    const { port, session } = await connectSessionPort({
      host: '127.0.0.1',
      port: router.endpoints.apiPort,
      transport: 'api',
      user: 'admin',
      password: 'pw',
    });
    cleanups.push(() => session.close());
    const igd = await IgdClient.fromLocation(router.endpoints.rootDescriptionUrl);
    const igdDelete: IgdDelete = (t) => igd.deletePortMapping(t.externalPort, t.protocol === 'tcp' ? 'TCP' : 'UDP');
    const service = createMappingsService({
      router: () => port,
      onRouterState: (l) => (l(port.state()), () => {}),
      emit: () => {},
      dataDir: null,
      files: memoryFileStore(),
      vendors: noVendors(),
      igdDelete,
    });
    cleanups.push(() => service.dispose());
    await service.ready();
    const ctx = { transport: 'websocket' as const };
    const preview = await service.previewCleanup(undefined, ctx);
    expect(preview.candidates.map((c) => c.mapping.id).sort()).toEqual(STALE);
    const summary = await service.runCleanup({ previewId: preview.previewId, ids: STALE }, ctx);
    expect(summary.failed).toBe(4);
    const first = summary.outcomes[0];
    expect(first?.result).toBe('failed');
    if (first?.result === 'failed') {
      expect(first.attempts.map((a) => a.strategy)).toEqual(['nat-rule-remove', 'igd-delete']);
      expect(first.attempts[0]?.detail).toMatch(/dynamic/);
      expect(first.attempts[1]?.detail).toMatch(/606|authorized/i);
    }
    expect(summary.restartable).toEqual(['upnp']);
    const { dropped } = await service.restartService({ service: 'upnp', confirm: true }, ctx);
    expect(dropped).toBeGreaterThan(4);
    const left = router.device.backend.store.list().map((m) => `${m.protocol}/${m.externalPort}`);
    for (const id of STALE) expect(left).not.toContain(id);
  });

  it('IGD DeletePortMapping strategy counts only when the rule is verifiably gone', async () => {
    const dev = device('routeros7');
    const asOwner: IgdDelete = async (t) => {
      const r = dev.backend.remove('upnp', t.protocol, t.externalPort, t.internalAddress);
      if (!r.ok) throw new Error(r.detail);
    };
    const { port, h, cleanup } = await setup(dev, asOwner);
    const preview = cleanup.preview(h.monitor.list());
    const summary = await cleanup.run(port, preview.previewId, ['udp/9307']);
    expect(summary.outcomes[0]).toMatchObject({ result: 'removed', strategy: 'igd-delete' });
    const lying = await setup(device('routeros7'), async () => {});
    const p2 = lying.cleanup.preview(lying.h.monitor.list());
    const s2 = await lying.cleanup.run(lying.port, p2.previewId, ['udp/9307']);
    expect(s2.outcomes[0]).toMatchObject({ result: 'failed' });
  });

  it('re-checks right before removing: a mapping whose owner came back is skipped', async () => {
    const dev = device('seed');
    const { port, h, cleanup } = await setup(dev);
    const preview = cleanup.preview(h.monitor.list());
    const lease = dev
      .table('/ip/dhcp-server/lease')
      .all()
      .find((l) => l.address === '192.168.88.52');
    dev.table('/ip/arp').add(
      {
        address: '192.168.88.52',
        'mac-address': lease?.['mac-address'] ?? '',
        interface: 'bridge-lan',
        status: 'reachable',
      },
      { dynamic: true, trusted: true },
    );
    const summary = await cleanup.run(port, preview.previewId, STALE);
    expect(summary.outcomes.find((o) => o.id === 'udp/9307')).toMatchObject({
      result: 'skipped',
      reason: expect.stringMatching(/owner is back/),
    });
    expect(summary.removed).toBe(3);
  });

  it('refuses ids that were not in the preview, and an expired or reused preview', async () => {
    const dev = device('seed');
    const { port, h, cleanup } = await setup(dev);
    const preview = cleanup.preview(h.monitor.list());
    await expect(cleanup.run(port, preview.previewId, ['udp/3074'])).rejects.toMatchObject({ code: 'not-in-preview' });
    await expect(cleanup.run(port, 'nope', STALE)).rejects.toMatchObject({ code: 'preview-expired' });
    expect(dev.backend.store.size).toBe(16);
  });
});

describe('cleanup safety property (fast-check over random router states)', () => {
  const state = fc.record({
    profile: fc.constantFrom('routeros7' as const, 'seed' as const),
    hosts: fc.array(fc.record({ present: fc.boolean(), goneDays: fc.integer({ min: 0, max: 10 }) }), {
      minLength: 1,
      maxLength: 6,
    }),
    mappings: fc.array(fc.record({ host: fc.nat(), port: fc.integer({ min: 20000, max: 20100 }), udp: fc.boolean() }), {
      maxLength: 15,
    }),
    statics: fc.array(fc.record({ port: fc.integer({ min: 20000, max: 20100 }), udp: fc.boolean(), host: fc.nat() }), {
      maxLength: 5,
    }),
    pick: fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }),
    foreign: fc.boolean(),
  });

  it('removes exactly the selected stale dynamic mappings, never a static rule or anything unselected', async () => {
    await fc.assert(
      fc.asyncProperty(state, async (s) => {
        const dev = new DemoDevice({ profile: s.profile });
        buildScenario(dev, 'home');
        const { addHost, seedMapping } = await import('../demo-router/device/scenarios/hosts');
        s.hosts.forEach((hst, i) =>
          addHost(dev, {
            hostName: `h${i}`,
            address: `192.168.88.${150 + i}`,
            mac: `02:00:00:00:00:${(16 + i).toString(16)}`,
            present: hst.present,
            goneFor: hst.goneDays * 86_400_000 + 60_000,
          }),
        );
        for (const m of s.mappings) {
          const address = `192.168.88.${150 + (m.host % s.hosts.length)}`;
          const protocol = m.udp ? 'udp' : 'tcp';
          if (dev.backend.store.get(protocol, m.port)) continue;
          seedMapping(dev, { protocol, port: m.port, address, description: 'prop' });
        }
        for (const st of s.statics) {
          // Static rules that look exactly like UPnP ones, comment included.
          const address = `192.168.88.${150 + (st.host % s.hosts.length)}`;
          dev.command(
            '/ip/firewall/nat',
            'add',
            {
              chain: 'dstnat',
              action: 'dst-nat',
              protocol: st.udp ? 'udp' : 'tcp',
              'dst-port': String(st.port),
              'to-addresses': address,
              comment: `upnp ${address}: prop`,
            },
            LOCAL,
          );
        }
        const staticBefore = dev
          .table('/ip/firewall/nat')
          .all()
          .filter((r) => r.dynamic !== 'true')
          .map((r) => JSON.stringify({ ...r, bytes: '', packets: '' }));
        const dynBefore = new Set(dev.backend.store.list().map((m) => `${m.protocol}/${m.externalPort}`));
        // Remove via the owner over IGD where RouterOS 7 refuses the rule removal.
        const igd: IgdDelete = async (t) => {
          const r = dev.backend.remove('upnp', t.protocol, t.externalPort, t.internalAddress);
          if (!r.ok) throw new Error(r.detail);
        };
        const port = deviceRouterPort(dev);
        const h = await monitorHarness(port);
        await h.monitor.start();
        const cleanup = new Cleanup({ clock: systemMappingsClock(), igdDelete: igd, onProgress: () => {} });
        const preview = cleanup.preview(h.monitor.list());
        const candidates = preview.candidates.map((c) => c.mapping.id);
        for (const c of preview.candidates) expect(c.mapping.status).toBe('stale');
        const selected = candidates.filter((_, i) => s.pick[i % s.pick.length]);
        const liveOnes = [...dynBefore].filter((id) => !candidates.includes(id));
        if (s.foreign && liveOnes.length > 0) {
          await expect(cleanup.run(port, preview.previewId, [...selected, liveOnes[0] ?? ''])).rejects.toMatchObject({
            code: 'not-in-preview',
          });
        } else if (selected.length > 0) {
          const summary = await cleanup.run(port, preview.previewId, selected);
          const removed = summary.outcomes
            .filter((o) => o.result === 'removed')
            .map((o) => o.id)
            .sort();
          // Every mapping here is UPnP, so some strategy always works: exactly the selection goes.
          expect(removed).toEqual([...selected].sort());
        }
        await h.monitor.stop();
        const staticAfter = dev
          .table('/ip/firewall/nat')
          .all()
          .filter((r) => r.dynamic !== 'true')
          .map((r) => JSON.stringify({ ...r, bytes: '', packets: '' }));
        expect(staticAfter).toEqual(staticBefore);
        const dynAfter = new Set(dev.backend.store.list().map((m) => `${m.protocol}/${m.externalPort}`));
        for (const id of dynBefore) {
          const removed = !dynAfter.has(id);
          const allowed = !s.foreign || liveOnes.length === 0 ? selected.includes(id) : false;
          if (removed) expect(allowed).toBe(true);
        }
      }),
      { numRuns: 40 },
    );
  }, 60_000);
});

import { afterEach, describe, expect, it } from 'vitest';
import type { CleanupSummary } from '../../shared/domains/mappings';
import { cleanupHarness, onDevice, staticRules } from '../../tests/support/cleanup-harness';
import { DemoDevice } from '../demo-router/device/device';
import { buildScenario } from '../demo-router/device/scenarios/index';
import type { Unknowns } from '../demo-router/device/unknowns';
import { reasonOf } from '../../shared/domains/mappings';
import { ownerAction } from './cleanup-outcomes';
import { historyKey } from './history';

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const s of stops.splice(0)) await s();
});

/** The four stale mappings of `home`: hosts that left 2-9 days ago. */
const STALE = ['tcp/51413', 'udp/26712', 'udp/51413', 'udp/9307'];
const ALL = { strategy: 'flush-and-restore', acceptLoss: true } as const;

function home(profile: 'routeros7' | 'seed', unknowns: Partial<Unknowns> = {}): DemoDevice {
  const dev = new DemoDevice({ profile, unknowns });
  buildScenario(dev, 'home');
  return dev;
}

async function setup(dev: DemoDevice, opts: Parameters<typeof cleanupHarness>[1] = {}) {
  const c = await cleanupHarness(dev, opts);
  stops.push(c.stop);
  return c;
}

const byOutcome = (s: CleanupSummary) =>
  Object.fromEntries(s.groups.map((g) => [`${g.outcome}: ${g.reason}`, g.count]));

describe('cleanup plans on routeros7 home, one per answer the router gives (demo switches)', () => {
  it('strictest RouterOS (the default): restart without restore; the preview says who loses what, and the user must accept it', async () => {
    const dev = home('routeros7');
    const c = await setup(dev);
    const preview = await c.cleanup.preview(c.target);
    expect(preview.candidates.map((x) => x.mapping.id).sort()).toEqual(STALE);
    // Restoring on behalf of another device was asked before confirming (an identical re-add: changes nothing).
    expect(preview.plan).toMatchObject({
      strategy: 'flush-and-restore',
      tryFirst: ['api-remove', 'igd-delete'],
      drops: 14,
      restore: 0,
      loseCount: 10,
      needsAcceptLoss: true,
      learned: { dynamicRemove: 'unknown', foreignDelete: 'unknown', foreignAdd: 'refused' },
    });
    expect(preview.plan.sentences).toEqual([
      'PortPilot has not removed mappings on this router before. It will first try to remove the 4 selected mappings one by one through the router’s API, then with UPnP delete requests from this computer (a refused request changes nothing). If the router refuses, PortPilot will restart UPnP, which drops all 14 UPnP mappings, also the 10 that are still in use.',
      'Because this router does not let PortPilot map a port on behalf of another device, none of the 10 can be restored: alex-laptop (3), plex-server (2), PS5-Living-Room (2), Xbox-Series-X (2) and kitchen-pi (1) lose their mapping until they ask for it again (most apps and consoles do when they restart or run their network test).',
      'The 2 NAT-PMP mappings are not touched: a UPnP restart does not affect NAT-PMP, and each expires by itself when its device stops renewing it (NAT-PMP mappings carry a lifetime, usually an hour or two).',
    ]);
    // Without accepting the loss, no restart.
    await expect(
      c.cleanup.run(c.target, preview.previewId, STALE, { strategy: 'flush-and-restore', acceptLoss: false }),
    ).rejects.toMatchObject({ code: 'plan-changed' });
    const again = await c.cleanup.preview(c.target);
    const summary = await c.cleanup.run(c.target, again.previewId, STALE, ALL);
    expect(summary).toMatchObject({
      strategy: 'flush-and-restore',
      removed: 4,
      restored: 0,
      notRestored: 10,
      failed: 0,
    });
    expect(byOutcome(summary)).toEqual({
      'removed: dropped by the UPnP restart': 4,
      'not-restored: not tried: this router does not let PortPilot map a port on behalf of another device': 10,
    });
    const ps5 = summary.kept.find((k) => k.id === 'udp/3074');
    expect(ps5).toMatchObject({
      result: 'not-restored',
      hostName: 'PS5-Living-Room',
      internalAddress: '192.168.88.20',
    });
    expect(summary.groups[ps5?.group ?? -1]?.action).toMatch(
      /^Each device gets its mapping back when it asks for it again/,
    );
    expect(ownerAction('PS5-Living-Room (192.168.88.20)')).toMatch(
      /^PS5-Living-Room \(192\.168\.88\.20\) gets its mapping back when it asks for it again/,
    );
    expect(summary.learned).toEqual({ dynamicRemove: 'refused', foreignDelete: 'refused', foreignAdd: 'refused' });
    // Never lost silently: every mapping that was not selected is on the router or reported.
    const reported = new Set(summary.kept.filter((k) => k.result === 'not-restored').map((k) => k.id));
    expect(onDevice(dev)).toEqual(new Set(['udp/16402@192.168.88.31', 'tcp/4500@192.168.88.31']));
    expect(reported.size).toBe(10);
  });

  it('--foreign-add allow: restart, and the 10 kept mappings restored on behalf of their devices, verified', async () => {
    const dev = home('routeros7', { foreignAdd: 'allow' });
    const before = onDevice(dev);
    const c = await setup(dev);
    const first = c.h.monitor.get('udp/3074')?.firstSeenAt;
    const preview = await c.cleanup.preview(c.target);
    expect(preview.plan).toMatchObject({
      strategy: 'flush-and-restore',
      restore: 10,
      loseCount: 0,
      needsAcceptLoss: false,
    });
    expect(preview.plan.learned.foreignAdd).toBe('allowed');
    const summary = await c.cleanup.run(c.target, preview.previewId, STALE, { ...ALL, acceptLoss: false });
    expect(summary).toMatchObject({ removed: 4, restored: 10, notRestored: 0 });
    for (const id of STALE) before.delete([...before].find((k) => k.startsWith(`${id}@`)) ?? '');
    expect(onDevice(dev)).toEqual(before);
    // A restored mapping is the same mapping: its first-seen time (its age) survives the restart.
    expect(c.h.monitor.get('udp/3074')?.firstSeenAt).toBe(first);
    // The second time, the plan is certain: the router's answers were remembered.
    const next = await c.cleanup.preview(c.target);
    expect(next.plan.tryFirst).toEqual([]);
  });

  it('--foreign-delete allow: UPnP delete requests from this computer; nothing else touched', async () => {
    const dev = home('routeros7', { foreignDelete: 'allow' });
    const before = onDevice(dev);
    const c = await setup(dev, { learned: { dynamicRemove: 'refused', foreignDelete: 'allowed' } });
    const preview = await c.cleanup.preview(c.target);
    expect(preview.plan.strategy).toBe('igd-delete');
    expect(preview.plan.sentences[0]).toBe(
      'This router does not let PortPilot remove single UPnP mappings through its API, but it accepts UPnP delete requests from this computer. PortPilot will delete the 4 selected mappings that way. Nothing else is touched.',
    );
    const summary = await c.cleanup.run(c.target, preview.previewId, STALE, {
      strategy: 'igd-delete',
      acceptLoss: false,
    });
    expect(byOutcome(summary)).toEqual({ 'removed: deleted with a UPnP request from this computer': 4 });
    expect(summary.kept).toEqual([]);
    expect(onDevice(dev)).toEqual(new Set([...before].filter((k) => !STALE.some((id) => k.startsWith(`${id}@`)))));
  });

  it('--dynamic-remove allow: removed through the API, learnt from the first one', async () => {
    const dev = home('routeros7', { dynamicRemove: 'allow' });
    const c = await setup(dev);
    const preview = await c.cleanup.preview(c.target);
    const summary = await c.cleanup.run(c.target, preview.previewId, STALE, ALL);
    expect(byOutcome(summary)).toEqual({ 'removed: removed through the router’s API': 4 });
    expect(summary.learned.dynamicRemove).toBe('allowed');
    expect(c.calls.filter((x) => x.startsWith('delete'))).toEqual([]);
    const next = await c.cleanup.preview(c.target, { only: 'tcp/32400' });
    expect(next.plan.sentences).toEqual([
      'PortPilot will remove the selected mapping through the router’s API. Nothing else is touched.',
    ]);
  });

  it('a refusing router is found out with one request per strategy, not one per mapping', async () => {
    const dev = home('routeros7', { foreignAdd: 'allow' });
    const c = await setup(dev);
    let removes = 0;
    const remove = c.router.remove.bind(c.router);
    c.target.router = { ...c.router, remove: (m, ids) => (removes++, remove(m, ids)) };
    const preview = await c.cleanup.preview(c.target);
    await c.cleanup.run(c.target, preview.previewId, STALE, ALL);
    expect(removes).toBe(1);
    expect(c.calls.filter((x) => x.startsWith('delete'))).toHaveLength(1);
  });

  it('no IGD reachable from this computer: the plan says the kept mappings cannot be restored', async () => {
    const dev = home('routeros7', { foreignAdd: 'allow' });
    const c = await setup(dev, { igd: null });
    const preview = await c.cleanup.preview(c.target);
    expect(preview.plan).toMatchObject({ strategy: 'flush-and-restore', igd: false, restore: 0, loseCount: 10 });
    expect(preview.plan.sentences[1]).toMatch(
      /^Because PortPilot cannot reach the router’s UPnP from this computer, none of the 10 can be restored/,
    );
  });
});

describe('cleanup: the selection, the re-check and the rest', () => {
  it('seed: the guide’s /ip/upnp/mappings remove, nothing restarted', async () => {
    const dev = home('seed');
    const c = await setup(dev, { learned: { dynamicRemove: 'allowed' } });
    const preview = await c.cleanup.preview(c.target);
    expect(preview.plan.strategy).toBe('api-remove');
    const summary = await c.cleanup.run(c.target, preview.previewId, STALE, {
      strategy: 'api-remove',
      acceptLoss: false,
    });
    expect(summary).toMatchObject({ strategy: 'api-remove', removed: 4, skipped: 0, failed: 0, kept: [] });
    expect(dev.backend.store.size).toBe(12);
  });

  it('an unticked stale mapping is kept: restored after the restart like a live one', async () => {
    const dev = home('routeros7', { foreignAdd: 'allow' });
    const c = await setup(dev);
    const preview = await c.cleanup.preview(c.target);
    const ids = STALE.filter((id) => id !== 'udp/9307');
    const plan = await c.cleanup.plan(c.target, preview.previewId, ids);
    expect(plan.sentences[0]).toContain('and at once restore the 11 that you keep on behalf of their devices');
    const summary = await c.cleanup.run(c.target, preview.previewId, ids, ALL);
    expect(summary.kept.find((k) => k.id === 'udp/9307')).toMatchObject({ result: 'restored' });
    expect(onDevice(dev).has('udp/9307@192.168.88.52')).toBe(true);
  });

  it('re-checks right before removing: a mapping whose owner came back is skipped, and kept through the restart', async () => {
    const dev = home('routeros7', { foreignAdd: 'allow' });
    const c = await setup(dev);
    const preview = await c.cleanup.preview(c.target);
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
    const summary = await c.cleanup.run(c.target, preview.previewId, STALE, ALL);
    const back = summary.targets.find((o) => o.id === 'udp/9307');
    expect(back).toMatchObject({ result: 'skipped' });
    expect(reasonOf(summary, back ?? { group: -1 })).toBe('its device is back on the network');
    expect(summary.removed).toBe(3);
    expect(onDevice(dev).has('udp/9307@192.168.88.52')).toBe(true);
  });

  it('refuses ids that were not in the preview, and an expired or reused preview', async () => {
    const dev = home('seed');
    const c = await setup(dev);
    const preview = await c.cleanup.preview(c.target);
    await expect(c.cleanup.run(c.target, preview.previewId, ['udp/3074'], ALL)).rejects.toMatchObject({
      code: 'not-in-preview',
    });
    await expect(c.cleanup.run(c.target, 'nope', STALE, ALL)).rejects.toMatchObject({ code: 'preview-expired' });
    expect(dev.backend.store.size).toBe(16);
  });

  it('one row’s Remove: a preview of that mapping alone, live or not, and its plan', async () => {
    const dev = home('routeros7', { foreignAdd: 'allow' });
    const c = await setup(dev, { learned: { dynamicRemove: 'refused', foreignDelete: 'refused' } });
    const preview = await c.cleanup.preview(c.target, { only: 'tcp/32400' });
    expect(preview).toMatchObject({ single: true, candidates: [{ mapping: { id: 'tcp/32400' } }] });
    expect(preview.plan.sentences[0]).toBe(
      'This router does not let PortPilot remove single UPnP mappings. PortPilot will restart UPnP, which drops all 14 UPnP mappings, and at once restore the 13 that you keep on behalf of their devices.',
    );
    const summary = await c.cleanup.run(c.target, preview.previewId, ['tcp/32400'], ALL);
    expect(summary).toMatchObject({ removed: 1, restored: 13 });
    await expect(c.cleanup.preview(c.target, { only: 'tcp/1' })).rejects.toMatchObject({ code: 'not-found' });
  });

  it('NAT-PMP: untouched by the restart, shown with their expiry; a selected one this router will not remove expires by itself', async () => {
    const dev = home('routeros7', { foreignAdd: 'allow' });
    const c = await setup(dev, { learned: { dynamicRemove: 'refused', foreignDelete: 'refused' } });
    const preview = await c.cleanup.preview(c.target, { only: 'udp/16402' });
    expect(preview.plan).toMatchObject({ strategy: 'none', leftToExpire: 1, drops: 0 });
    expect(preview.plan.sentences).toEqual([
      'This router does not let PortPilot remove NAT-PMP mappings, so the selected NAT-PMP mapping stays until it expires by itself, when its device stops renewing it.',
    ]);
    const stale = await c.cleanup.preview(c.target);
    expect(stale.plan.natPmpUntouched.map((n) => n.id).sort()).toEqual(['tcp/4500', 'udp/16402']);
    expect(stale.plan.natPmpUntouched[0]?.expires).toMatch(/^by itself when its device stops renewing it/);
  });

  it('progress is batched: a phase change at once, counts at most every 100 ms', async () => {
    const dev = home('routeros7', { foreignAdd: 'allow' });
    const c = await setup(dev);
    const preview = await c.cleanup.preview(c.target);
    await c.cleanup.run(c.target, preview.previewId, STALE, ALL);
    const phases = c.progress.map((p) => p.phase).filter((p, i, a) => p !== a[i - 1]);
    expect(phases).toEqual(['checking', 'removing', 'restarting', 'restoring', 'verifying', 'done']);
    expect(c.progress.length).toBeLessThan(20);
  });

  it('advice never names a menu this router lacks (routeros7 has no UPnP permissions)', async () => {
    const dev = home('routeros7');
    const c = await setup(dev);
    const preview = await c.cleanup.preview(c.target);
    const summary = await c.cleanup.run(c.target, preview.previewId, STALE, ALL);
    const words = [
      ...preview.plan.sentences,
      ...summary.groups.map((g) => `${g.reason} ${g.action ?? ''}`),
      ...summary.kept.map((k) => ownerAction(k.hostName ?? k.internalAddress)),
    ].join('\n');
    expect(words).not.toMatch(/permission/i);
    expect(staticRules(dev).length).toBeGreaterThan(0);
  });

  it('a restart that fails midway (UPnP off, connection lost) still reports every kept mapping that is gone', async () => {
    const dev = home('routeros7', { foreignAdd: 'allow' });
    const c = await setup(dev, { learned: { dynamicRemove: 'refused', foreignDelete: 'refused' } });
    const set = c.router.set.bind(c.router);
    c.target.router = {
      ...c.router,
      set: async (menu, id, attrs) => {
        if (attrs['enabled'] === 'yes') throw Object.assign(new Error('connection lost'), { kind: 'down' });
        return set(menu, id, attrs);
      },
    };
    const preview = await c.cleanup.preview(c.target);
    const summary = await c.cleanup.run(c.target, preview.previewId, STALE, ALL);
    // UPnP went off (the mappings are gone) but never came back on: nothing was restored, all of it said.
    expect(summary).toMatchObject({ removed: 4, failed: 0, notRestored: 10 });
    expect(byOutcome(summary)).toEqual({
      'not-restored: UPnP could not be restarted: connection lost': 10,
      'removed: dropped by the UPnP restart': 4,
    });
  });

  it('keeps the history of a held mapping that does not come back as gone', async () => {
    const dev = home('routeros7');
    const c = await setup(dev);
    const key = historyKey('udp/3074', '192.168.88.20');
    const hold = c.h.monitor.hold([key]);
    dev.backend.restart(['upnp']);
    expect(c.h.monitor.get('udp/3074')).toBeUndefined();
    hold.release();
    expect(c.h.monitor.historyView().events.at(-1)).toMatchObject({ kind: 'removed', id: 'udp/3074' });
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import type { CleanupProgress, MappingsDelta } from '../../../shared/domains/mappings';
import { deviceIgd } from '../../../tests/support/device-igd';
import { memoryJournalStore } from '../../plans';
import { ChangeApplier } from '../change-applier';
import { deviceRouterPort } from '../../../tests/support/device-router-port';
import { DemoDevice } from '../../demo-router/device/device';
import { buildScenario } from '../../demo-router/device/scenarios/index';
import { TrafficSimulator } from '../../demo-router/device/traffic';
import { memoryFileStore } from '../../mappings/file-store';
import { noVendors } from '../../mappings/testing/harness';
import { createOuiLoader, type OuiLoader } from '../../mappings/oui';
import { createMappingsService } from './mappings-service';
import { testLink } from '../../../tests/support/test-link';
import type { RouterLink } from '../../core/router-link';

const ctx = { transport: 'websocket' as const };
const disposers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const d of disposers.splice(0)) await d();
});

async function service(opts: { lock?: ChangeApplier } = {}) {
  const dev = new DemoDevice({ profile: 'routeros7', unknowns: { foreignAdd: 'allow' } });
  buildScenario(dev, 'home');
  const port = testLink(deviceRouterPort(dev));
  const deltas: MappingsDelta[] = [];
  const progress: CleanupProgress[] = [];
  const files = memoryFileStore();
  const svc = createMappingsService({
    router: () => port,
    onRouterState: (l) => (l(port.state()), () => {}),
    emit: (name, payload) => {
      if (name === 'delta') deltas.push(payload as MappingsDelta);
      if (name === 'cleanupProgress') progress.push(payload as CleanupProgress);
    },
    dataDir: null,
    files,
    vendors: noVendors(),
    igd: deviceIgd(dev),
    lock: opts.lock,
  });
  disposers.push(() => svc.dispose());
  await svc.ready();
  return { dev, svc, deltas, files, port, progress };
}

describe('mappings service row actions (demo device)', () => {
  it('log traffic: a forward log rule placed first, matching /log lines, then removed again', async () => {
    const { dev, svc } = await service();
    const started = await svc.startTrafficLog({ id: 'udp/3074' }, ctx);
    const filter = dev.table('/ip/firewall/filter').all();
    expect(filter[0]).toMatchObject({
      '.id': started.logRuleId,
      action: 'log',
      chain: 'forward',
      'dst-port': '3074',
      'log-prefix': 'PP-UDP3074 ',
    });
    const sim = new TrafficSimulator(dev, { sample: 100, roamChance: 0 });
    for (let i = 0; i < 5; i++) sim.tick();
    const log = await svc.trafficLog({ id: 'udp/3074' }, ctx);
    expect(log.lines.length).toBeGreaterThan(0);
    expect(log.lines.every((l) => l.message.startsWith('PP-UDP3074 '))).toBe(true);
    expect(log.lines[0]?.message).toMatch(/192\.168\.88\.20:3074/);
    await svc.stopTrafficLog({ id: 'udp/3074' }, ctx);
    expect(
      dev
        .table('/ip/firewall/filter')
        .all()
        .some((r) => r['.id'] === started.logRuleId),
    ).toBe(false);
  });

  it('make permanent: the guide’s static dstnat forward and hairpin rule; copy as command', async () => {
    const { dev, svc } = await service();
    const made = await svc.makePermanent({ id: 'tcp/32400', hairpin: true }, ctx);
    const nat = dev.table('/ip/firewall/nat').all();
    expect(nat.find((r) => r['.id'] === made.natRuleId)).toMatchObject({
      chain: 'dstnat',
      action: 'dst-nat',
      protocol: 'tcp',
      'dst-port': '32400',
      'to-addresses': '192.168.88.10',
      'to-ports': '32400',
      'in-interface': 'ether1',
      dynamic: 'false',
    });
    expect(nat.find((r) => r['.id'] === made.hairpinRuleId)).toMatchObject({
      chain: 'srcnat',
      action: 'masquerade',
      'src-address': '192.168.88.0/24',
      'dst-address': '192.168.88.10',
    });
    expect(made.commands[0]).toMatch(/^\/ip firewall nat add chain=dstnat .*to-addresses=192\.168\.88\.10/);
    const { text } = await svc.commands({ id: 'tcp/32400' }, ctx);
    expect(text).toContain('dst-port=32400');
    // The static rule is not a mapping: the monitor never lists it, cleanup can never pick it.
    const snap = await svc.snapshot(undefined, ctx);
    expect(snap.mappings.filter((m) => m.id === 'tcp/32400')).toHaveLength(1);
  });

  it('age is true: a mapping whose device left six days ago is known for six days, not since this run', async () => {
    const { svc } = await service();
    const snap = await svc.snapshot(undefined, ctx);
    const old = snap.mappings.find((m) => m.id === 'tcp/51413');
    expect(old?.ageBasis).toBe('owner-last-seen');
    expect((old?.knownSinceAt ?? 0) - (snap.at - 6 * 86_400_000)).toBeLessThan(60_000);
    const live = snap.mappings.find((m) => m.id === 'udp/3074');
    expect(live).toMatchObject({ ageBasis: 'first-seen', knownSinceAt: live?.firstSeenAt });
  });

  it('a cleanup takes the router’s change lock: it waits for a configuration apply and says so', async () => {
    let link: RouterLink | null = null;
    const lock = new ChangeApplier({ router: () => link, journal: memoryJournalStore() });
    const { svc, dev, port, progress } = await service({ lock });
    link = port;
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    const apply = lock.runExclusive(port, 'Port forward 8080', () => gate);
    const preview = await svc.previewCleanup(undefined, ctx);
    const ids = preview.candidates.map((c) => c.mapping.id);
    const run = svc.runCleanup(
      { previewId: preview.previewId, ids, confirm: { strategy: 'flush-and-restore', acceptLoss: false } },
      ctx,
    );
    await expect.poll(() => progress.map((p) => p.phase)).toContain('waiting');
    expect(progress.find((p) => p.phase === 'waiting')?.message).toContain('Port forward 8080');
    expect(dev.backend.store.size).toBe(16); // nothing happened while the apply holds the router
    open();
    await apply;
    expect(await run).toMatchObject({ removed: 4, restored: 10 });
  });

  it('settings persist and change the verdicts live', async () => {
    const { svc, files } = await service();
    const before = (await svc.snapshot(undefined, ctx)).mappings.filter((m) => m.status === 'stale').length;
    expect(before).toBe(4);
    await svc.saveSettings({ ownerGoneMinutes: 60 * 24 * 30 }, ctx);
    expect(JSON.parse(files.files.get('mappings-settings.json') ?? '{}')).toMatchObject({ ownerGoneMinutes: 43200 });
    const after = (await svc.snapshot(undefined, ctx)).mappings.filter((m) => m.status === 'stale').length;
    expect(after).toBe(0);
    await expect(svc.previewCleanup({ only: 'tcp/1' }, ctx)).rejects.toMatchObject({ code: 'not-found' });
  });
});

describe('mappings service prepare (issue 14)', () => {
  /** The real loader over an empty registry, counting its reads. */
  function counting() {
    let loads = 0;
    const loader = createOuiLoader(async () => {
      loads++;
      return new Uint8Array(0);
    });
    return { loader, loads: () => loads };
  }

  function idleService(vendors: OuiLoader, log: (line: string) => void = () => {}) {
    const svc = createMappingsService({
      router: () => null,
      onRouterState: () => () => {},
      emit: () => {},
      dataDir: null,
      files: memoryFileStore(),
      vendors,
      log,
    });
    disposers.push(() => svc.dispose());
    return svc;
  }

  it('reads the vendor table before any router is connected, once', async () => {
    const { loader, loads } = counting();
    const svc = idleService(loader);
    expect(loader.ready()).toBeNull();
    svc.prepare();
    svc.prepare();
    await expect.poll(() => loader.ready()).not.toBeNull();
    expect(loads()).toBe(1);
  });

  it('logs a table that cannot be read instead of failing', async () => {
    const lines: string[] = [];
    const loader: OuiLoader = { load: () => Promise.reject(new Error('ENOENT oui.json')), ready: () => null };
    idleService(loader, (l) => lines.push(l)).prepare();
    await expect.poll(() => lines).toEqual(['OUI data: Error: ENOENT oui.json']);
  });
});

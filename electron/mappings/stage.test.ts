import { describe, expect, it } from 'vitest';
import { printEachVia, type RawRow, type RouterPort } from '../core/router-port';
import { DemoDevice } from '../demo-router/device/device';
import { buildScenario } from '../demo-router/device/scenarios/index';
import { deviceRouterPort } from '../../tests/support/device-router-port';
import { NAT_MENU } from './monitor';
import { lookupFrom, type OuiLoader } from './oui';
import { memoryFileStore } from './file-store';
import { fakeClock } from './testing/fake-clock';
import { applyDeltas, monitorHarness } from './testing/harness';
import { DeltaBatcher } from './batcher';
import { SnapshotStage } from './stage';
import type { ViewMemo } from './view-memo';
import type { MappingsDelta } from '../../shared/domains/mappings';
import { mappingView } from '../../shared/testing/mapping-view';

const VENDORS = lookupFrom(new Map([['709E29', 'Sony Interactive Entertainment Inc.']]));
const ticks = async (n = 20) => {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
};

/** A vendor table that is ready when the test says so. */
function heldVendors(ready: boolean): OuiLoader & { release(): void } {
  let loaded = ready;
  let resolve: () => void = () => {};
  const done = new Promise<void>((r) => (resolve = r));
  if (ready) resolve();
  return {
    load: () => done.then(() => VENDORS),
    ready: () => (loaded ? VENDORS : null),
    release: () => {
      loaded = true;
      resolve();
    },
  };
}

/**
 * The device's port with the NAT print streaming in two halves (a pause between them) and, when
 * `othersLast`, every other read (owners, connections, the seed menu) answered only after the last
 * NAT row: the order in which nothing can be staged, as before issue 14.
 */
function streamingPort(device: DemoDevice, othersLast: boolean) {
  const base = deviceRouterPort(device);
  let resume: () => void = () => {};
  let fail: (err: Error) => void = () => {};
  const paused = new Promise<void>((resolve, reject) => ((resume = resolve), (fail = reject)));
  let releaseOthers: () => void = () => {};
  const others = othersLast ? new Promise<void>((r) => (releaseOthers = r)) : Promise.resolve();
  // One tracked connection, to the mapping of the last NAT row (it arrives after staging began):
  // traffic its view must show.
  const lastRuleConnection = async (): Promise<RawRow> => {
    const rules = await base.print(NAT_MENU, { query: ['?dynamic=true'] });
    const last = rules[rules.length - 1] ?? {};
    return { protocol: last['protocol'] ?? '', 'reply-src-address': `${last['to-addresses']}:${last['to-ports']}` };
  };
  const print: RouterPort['print'] = async (menu, options) => {
    if (menu !== NAT_MENU) await others;
    if (menu === '/ip/firewall/connection') return [await lastRuleConnection()];
    return base.print(menu, options);
  };
  const port: RouterPort = {
    ...base,
    print,
    async printEach(menu, onRow, options) {
      if (menu !== NAT_MENU) return printEachVia(print)(menu, onRow, options);
      const rows: RawRow[] = await base.print(menu, options);
      const half = Math.ceil(rows.length / 2);
      rows.slice(0, half).forEach(onRow);
      await paused;
      rows.slice(half).forEach(onRow);
      releaseOthers();
      return rows.length;
    },
  };
  return { port, resume, fail };
}

async function snapshotOf(profile: 'routeros7' | 'seed', othersLast: boolean, vendorsMidway: boolean) {
  const device = new DemoDevice({ profile });
  buildScenario(device, 'home');
  const { port, resume } = streamingPort(device, othersLast);
  const vendors = heldVendors(!vendorsMidway);
  const { monitor } = await monitorHarness(port, { clock: fakeClock(), vendors });
  const started = monitor.start();
  await ticks();
  const firstSeenBeforeVendors = monitor.historyView().events.length;
  if (vendorsMidway) vendors.release();
  await ticks();
  // Views staged while the print still runs record their mappings' first-seen times.
  const firstSeenDuringStream = monitor.historyView().events.length;
  resume();
  await started;
  const list = monitor.list().sort((a, b) => a.id.localeCompare(b.id));
  await monitor.stop();
  return { list, firstSeenBeforeVendors, firstSeenDuringStream };
}

describe('MappingMonitor stages views while the NAT print streams (issue 14)', () => {
  it.each(['routeros7', 'seed'] as const)(
    '%s: the views built as rows arrive equal the views built after the last row',
    async (profile) => {
      const staged = await snapshotOf(profile, false, false);
      const unstaged = await snapshotOf(profile, true, false);
      // Staging happened: the first half's mappings were recorded while the print was still running.
      expect(staged.firstSeenDuringStream).toBeGreaterThan(0);
      expect(unstaged.firstSeenDuringStream).toBe(0);
      expect(staged.list.length).toBeGreaterThan(5);
      expect(staged.list).toEqual(unstaged.list);
      expect(staged.list.filter((v) => v.lastTrafficAt !== null)).toHaveLength(1);
      expect(staged.list.find((v) => v.id === 'udp/3074')?.owner.vendor).toMatch(/Sony/);
      if (profile === 'seed') expect(staged.list.some((v) => v.upnpMappingId !== null)).toBe(true);
    },
  );

  it('staging waits for the vendor table, then catches up with the rows already in', async () => {
    const staged = await snapshotOf('routeros7', false, true);
    const unstaged = await snapshotOf('routeros7', true, false);
    expect(staged.firstSeenBeforeVendors).toBe(0);
    expect(staged.firstSeenDuringStream).toBeGreaterThan(0);
    expect(staged.list).toEqual(unstaged.list);
    expect(staged.list.find((v) => v.id === 'udp/3074')?.owner.vendor).toMatch(/Sony/);
  });
});

describe('MappingMonitor when the NAT print fails while views wait for the vendor table', () => {
  it('stages nothing once the snapshot failed, even when the vendor table comes afterwards', async () => {
    const device = new DemoDevice({ profile: 'routeros7' });
    buildScenario(device, 'home');
    const { port, fail } = streamingPort(device, false);
    const vendors = heldVendors(false);
    const { monitor } = await monitorHarness(port, { clock: fakeClock(), vendors });
    const started = monitor.start();
    await ticks();
    fail(new Error('connection lost'));
    await expect(started).rejects.toThrow('connection lost');
    vendors.release();
    await ticks();
    expect(monitor.historyView().events).toEqual([]);
    expect(monitor.currentStatus().phase).toBe('error');
    await monitor.stop();
  });
});

describe('MappingMonitor after a snapshot: what the history tracks but the router no longer shows', () => {
  it('is recorded last-seen; a mapping still there (same id and address) is not', async () => {
    const device = new DemoDevice({ profile: 'routeros7' });
    buildScenario(device, 'home');
    const files = memoryFileStore();
    const firstSeen = {
      'udp/3074@192.168.88.20': 1000,
      'udp/3074@10.0.0.9': 900,
      'tcp/1@192.168.88.9': 800,
      // Ends with the mapping's address, yet another address.
      'udp/3074@1.192.168.88.20': 700,
    };
    const file = { version: 1, firstSeen, lastTraffic: {}, events: [], points: [], knownHosts: ['x'] };
    await files.write('h.json', JSON.stringify(file));
    const { monitor } = await monitorHarness(deviceRouterPort(device), { files, clock: fakeClock() });
    await monitor.start();
    const gone = monitor
      .historyView()
      .events.filter((e) => e.kind === 'last-seen')
      .map((e) => `${e.id}@${e.internalAddress}`)
      .sort();
    expect(gone).toEqual(['tcp/1@192.168.88.9', 'udp/3074@1.192.168.88.20', 'udp/3074@10.0.0.9']);
    expect(monitor.get('udp/3074')?.firstSeenAt).toBe(1000);
    await monitor.stop();
  });
});

describe('a session’s first snapshot reaches the receiver while it is read (issue 14)', () => {
  async function firstSnapshot(fail = false) {
    const device = new DemoDevice({ profile: 'routeros7' });
    buildScenario(device, 'large');
    const { port, resume, fail: failPrint } = streamingPort(device, false);
    const clock = fakeClock();
    const log: string[] = [];
    const h = await monitorHarness(port, {
      clock,
      onDelta: (d) =>
        log.push(`delta${d.reset ? ' reset' : ''} +${d.added.length} ~${d.updated.length} -${d.removed.length}`),
      onStatus: (s) => log.push(`status ${s.phase}`),
    });
    const started = h.monitor.start();
    await ticks();
    clock.advance(16);
    const midway = applyDeltas(h.deltas);
    const listedMidway = h.monitor.list().length;
    if (fail) failPrint(new Error('connection lost'));
    else resume();
    await started.catch(() => {});
    return { h: { ...h, clock }, log, midway, listedMidway };
  }

  it('sends the first half’s rows before the print ends, then the rest; the receiver ends with the monitor’s set', async () => {
    const { h, log, midway, listedMidway } = await firstSnapshot();
    expect(midway.size).toBeGreaterThan(1000);
    // What a window that opens midway is told (snapshot()) matches the deltas sent so far.
    expect(listedMidway).toBe(midway.size);
    expect(h.deltas[0]?.reset).toBe(true);
    expect(h.deltas.slice(1).every((d) => !d.reset && d.removed.length === 0)).toBe(true);
    const final = applyDeltas(h.deltas);
    expect(final.size).toBe(h.monitor.list().length);
    expect([...final.keys()].sort()).toEqual(
      h.monitor
        .list()
        .map((v) => v.id)
        .sort(),
    );
    // Every row went out once; the last delta left before the status said live.
    expect(h.deltas.reduce((n, d) => n + d.added.length, 0)).toBe(final.size);
    expect(log.at(-1)).toBe('status live');
    expect(log.at(-2)).toMatch(/^delta/);
    await h.monitor.stop();
  });

  it('a resync keeps the receiver’s rows until its one reset delta at the swap', async () => {
    const { h } = await firstSnapshot();
    const sent = h.deltas.length;
    await h.monitor.resync();
    const after = h.deltas.slice(sent);
    expect(after).toHaveLength(1);
    expect(after[0]?.reset).toBe(true);
    expect(after[0]?.added.length).toBe(h.monitor.list().length);
    await h.monitor.stop();
  });

  it('a print that fails midway leaves the receiver with the monitor’s (empty) set', async () => {
    const { h, midway } = await firstSnapshot(true);
    expect(midway.size).toBeGreaterThan(0);
    h.clock.advance(16);
    expect(h.monitor.currentStatus().phase).toBe('error');
    expect(h.monitor.list()).toEqual([]);
    expect(applyDeltas(h.deltas).size).toBe(0);
    await h.monitor.stop();
  });
});

describe('SnapshotStage.settle', () => {
  const memo = {} as ViewMemo;
  function sent(live: boolean) {
    const out: MappingsDelta[] = [];
    const batcher = new DeltaBatcher((d) => out.push(d), fakeClock());
    const stage = new SnapshotStage(batcher, live);
    stage.begin();
    stage.put('tcp/1', { view: mappingView(1), memo });
    stage.put('tcp/2', { view: mappingView(2), memo });
    stage.put('tcp/3', { view: mappingView(3), memo });
    batcher.flush();
    return { out, batcher, stage };
  }

  it('tells a receiver that was sent the staged views only what differs', () => {
    const { out, batcher, stage } = sent(true);
    const kept = stage.views.get('tcp/1')!.view;
    const rebuilt = mappingView(2, { description: 'again' });
    stage.settle(
      new Map([
        ['tcp/1', kept],
        ['tcp/2', rebuilt],
        ['tcp/4', mappingView(4)],
      ]),
      1,
    );
    batcher.flush();
    expect(out[0]).toMatchObject({ reset: true, removed: [] });
    expect(out[0]!.added.map((v) => v.id)).toEqual(['tcp/1', 'tcp/2', 'tcp/3']);
    expect(out[1]).toEqual({ seq: 2, reset: false, added: [mappingView(4)], updated: [rebuilt], removed: ['tcp/3'] });
    expect(stage.streaming).toBe(false);
    // The monitor keeps its last stage until the next snapshot: the staged views are not kept with it.
    expect(stage.views.size).toBe(0);
  });

  it('sends nothing more when every final view is the staged one', () => {
    const { out, batcher, stage } = sent(true);
    const final = new Map([...stage.views].map(([id, s]) => [id, s.view]));
    stage.settle(final, final.size);
    batcher.flush();
    expect(out).toHaveLength(1);
  });

  it('sends the whole set in one reset when the receiver was not sent the staged views', () => {
    const { out, batcher, stage } = sent(false);
    expect(out).toEqual([]);
    stage.settle(new Map([['tcp/1', mappingView(1)]]), 0);
    batcher.flush();
    expect(out).toEqual([{ seq: 1, reset: true, added: [mappingView(1)], updated: [], removed: [] }]);
  });
});

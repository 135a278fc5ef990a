import { describe, expect, it } from 'vitest';
import { WATCH_LEASE_MS } from '../../shared/domains/mappings';
import { DemoDevice } from '../demo-router/device/device';
import { buildScenario } from '../demo-router/device/scenarios/index';
import { deviceRouterPort } from '../../tests/support/device-router-port';
import type { MappingsClock } from './clock';
import { UNWATCHED_COUNTERS_EVERY, UNWATCHED_ENRICH_SECONDS } from './pace';
import { monitorHarness } from './testing/harness';
import { WatchLease } from './watch';

/** Timers that run only when the test moves time on. */
function manualClock(): MappingsClock & { advance(ms: number): Promise<void> } {
  let now = 1_000_000;
  let next = 1;
  const timers = new Map<number, { at: number; fn: () => void }>();
  const settle = async () => {
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
  };
  return {
    now: () => now,
    setTimeout: (fn, ms) => (timers.set(next, { at: now + ms, fn }), next++),
    clearTimeout: (h) => void timers.delete(h as number),
    setInterval: () => 0,
    clearInterval: () => {},
    async advance(ms) {
      const end = now + ms;
      await settle();
      for (;;) {
        const due = [...timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        timers.delete(due[0]);
        now = due[1].at;
        due[1].fn();
        await settle();
      }
      now = end;
    },
  };
}

async function watchedMonitor() {
  const clock = manualClock();
  const dev = new DemoDevice({ profile: 'routeros7' });
  buildScenario(dev, 'home');
  const port = deviceRouterPort(dev);
  let arpReads = 0;
  let counterReads = 0;
  const counting = {
    ...port,
    print: (menu: string, o?: Parameters<typeof port.print>[1]) => {
      if (menu === '/ip/arp') arpReads++;
      if (menu === '/ip/firewall/nat' && o?.proplist?.includes('bytes')) counterReads++;
      return port.print(menu, o);
    },
  };
  const monitorRef: { wake?: () => void } = {};
  const lease = new WatchLease(clock, () => monitorRef.wake?.());
  const h = await monitorHarness(counting, { clock, settings: { enrichSeconds: 15 }, watched: () => lease.watched() });
  monitorRef.wake = () => h.monitor.wake();
  await h.monitor.start();
  arpReads = 0;
  counterReads = 0;
  return { clock, lease, h, reads: () => arpReads, counterReads: () => counterReads };
}

describe('enrichment pace and mappings.watch', () => {
  it('re-reads owners and counters only every UNWATCHED_ENRICH_SECONDS while nobody watches', async () => {
    const { clock, h, reads } = await watchedMonitor();
    await clock.advance(15_000);
    expect(reads()).toBe(0);
    await clock.advance(UNWATCHED_ENRICH_SECONDS * 1000 - 15_000);
    expect(reads()).toBe(1);
    await h.monitor.stop();
  });

  it('while nobody watches, reads every rule’s counters only every UNWATCHED_COUNTERS_EVERY passes; a watch reads them at once', async () => {
    const { clock, lease, h, reads, counterReads } = await watchedMonitor();
    await clock.advance(UNWATCHED_COUNTERS_EVERY * UNWATCHED_ENRICH_SECONDS * 1000);
    expect(reads()).toBe(UNWATCHED_COUNTERS_EVERY);
    expect(counterReads()).toBe(1);
    lease.set(true);
    await clock.advance(0);
    expect(counterReads()).toBe(2);
    await clock.advance(15_000);
    expect(counterReads()).toBe(3);
    await h.monitor.stop();
  });

  it('a watch starts a pass now, then keeps the configured pace until its lease runs out', async () => {
    const { clock, lease, h, reads } = await watchedMonitor();
    lease.set(true);
    await clock.advance(0);
    expect(reads()).toBe(1);
    await clock.advance(15_000);
    expect(reads()).toBe(2);
    // Not renewed: after the lease the pace drops back to once a minute.
    await clock.advance(WATCH_LEASE_MS);
    const atExpiry = reads();
    await clock.advance(45_000);
    expect(reads() - atExpiry).toBeLessThanOrEqual(1);
    lease.set(false);
    expect(lease.watched()).toBe(false);
    await h.monitor.stop();
  });

  it('a renewal does not start an extra pass', async () => {
    const clock = manualClock();
    let starts = 0;
    const lease = new WatchLease(clock, () => starts++);
    lease.set(true);
    await clock.advance(WATCH_LEASE_MS / 2);
    lease.set(true);
    await clock.advance(WATCH_LEASE_MS - 1);
    expect(lease.watched()).toBe(true);
    expect(starts).toBe(1);
    await clock.advance(1);
    expect(lease.watched()).toBe(false);
  });
});

describe('counter-only listen rows', () => {
  it('make a delta while watched, and wait for the next pass while nobody watches', async () => {
    const dev = new DemoDevice({ profile: 'routeros7' });
    buildScenario(dev, 'home');
    let watched = false;
    const h = await monitorHarness(deviceRouterPort(dev), { watched: () => watched });
    await h.monitor.start();
    const nat = dev.table('/ip/firewall/nat');
    const rule = nat.all().find((r) => r['dynamic'] === 'true' && r['dst-port'] === '3074');
    expect(rule).toBeDefined();
    const bump = (n: number) =>
      nat.update(rule!, { bytes: String(Number(rule!['bytes'] ?? 0) + n), packets: String(n) });
    const updatesOf = () => h.deltas.flatMap((d) => d.updated).filter((v) => v.id === 'udp/3074').length;
    const before = h.monitor.get('udp/3074');
    await new Promise((r) => setTimeout(r, 50));
    const seen = h.deltas.length;

    bump(1000);
    await new Promise((r) => setTimeout(r, 50));
    expect(h.deltas.length).toBe(seen);
    expect(h.monitor.get('udp/3074')).toBe(before);

    watched = true;
    bump(1000);
    await new Promise((r) => setTimeout(r, 50));
    expect(updatesOf()).toBe(1);
    expect(h.monitor.get('udp/3074')?.lastTrafficAt).not.toBe(before?.lastTrafficAt);
    await h.monitor.stop();
  });
});

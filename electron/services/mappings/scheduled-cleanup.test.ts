import { afterEach, describe, expect, it } from 'vitest';
import { deviceRouterPort } from '../../../tests/support/device-router-port';
import { DemoDevice } from '../../demo-router/device/device';
import { buildScenario } from '../../demo-router/device/scenarios/index';
import { systemMappingsClock, type MappingsClock } from '../../mappings/clock';
import { memoryFileStore } from '../../mappings/file-store';
import { noVendors } from '../../mappings/testing/harness';
import { createMappingsService } from './mappings-service';
import { testLink } from '../../../tests/support/test-link';

const ctx = { transport: 'websocket' as const };
const disposers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const d of disposers.splice(0)) await d();
});

/** Real timers for everything but the scheduler's check, which the test fires by hand at a chosen time. */
function steppedClock() {
  const base = systemMappingsClock();
  let offset = 0;
  const checks: Array<() => void> = [];
  const clock: MappingsClock = {
    ...base,
    now: () => base.now() + offset,
    setInterval: (fn, ms) => (ms >= 60_000 ? checks.push(fn) : base.setInterval(fn, ms)),
  };
  return { clock, advance: (ms: number) => (offset += ms), fireChecks: () => checks.forEach((fn) => fn()) };
}

async function setup(scheduled: boolean) {
  const dev = new DemoDevice({ profile: 'seed' });
  buildScenario(dev, 'home');
  const port = testLink(deviceRouterPort(dev));
  const time = steppedClock();
  const svc = createMappingsService({
    router: () => port,
    onRouterState: (l) => (l(port.state()), () => {}),
    emit: () => {},
    dataDir: null,
    files: memoryFileStore(),
    vendors: noVendors(),
    clock: time.clock,
  });
  disposers.push(() => svc.dispose());
  await svc.ready();
  await svc.saveSettings({ scheduledCleanup: scheduled, scheduledCleanupHours: 1 }, ctx);
  const statics = () =>
    dev
      .table('/ip/firewall/nat')
      .all()
      .filter((r) => r['dynamic'] !== 'true');
  const stale = async () => (await svc.snapshot(undefined, ctx)).mappings.filter((m) => m.status === 'stale');
  return { svc, time, statics, stale };
}

describe('scheduled cleanup', () => {
  it('removes the stale mappings once the interval has passed, and no static rule', async () => {
    const { time, statics, stale } = await setup(true);
    const before = await stale();
    const staticsBefore = statics();
    expect(before.length).toBeGreaterThan(0);
    time.fireChecks(); // not due yet: the interval (1 h) has not passed
    await new Promise((r) => setTimeout(r, 200));
    expect((await stale()).length).toBe(before.length);
    time.advance(61 * 60_000);
    time.fireChecks();
    await expect.poll(async () => (await stale()).length, { timeout: 5000 }).toBe(0);
    expect(statics()).toEqual(staticsBefore);
  });

  it('does nothing while it is off (the default)', async () => {
    const { time, stale } = await setup(false);
    const before = (await stale()).length;
    time.advance(48 * 3_600_000);
    time.fireChecks();
    await new Promise((r) => setTimeout(r, 300));
    expect((await stale()).length).toBe(before);
  });
});

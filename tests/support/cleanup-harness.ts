import type { CleanupProgress, LearnedCapabilities, MappingsSettings } from '../../shared/domains/mappings';
import type { DemoDevice } from '../../electron/demo-router/device/device';
import { Cleanup, type CleanupTarget } from '../../electron/mappings/cleanup';
import { systemMappingsClock } from '../../electron/mappings/clock';
import { memoryFileStore } from '../../electron/mappings/file-store';
import type { IgdActions } from '../../electron/mappings/igd-port';
import { CapabilityBook } from '../../electron/mappings/learned';
import { monitorHarness } from '../../electron/mappings/testing/harness';
import { deviceIgd } from './device-igd';
import { deviceRouterPort } from './device-router-port';

/**
 * A running monitor and a Cleanup on a demo device, without sockets: the router port and the IGD
 * requests go straight to the device (`calls` lists them). `igd: null` = no IGD reachable.
 */
export async function cleanupHarness(
  dev: DemoDevice,
  opts: { igd?: IgdActions | null; learned?: Partial<LearnedCapabilities>; settings?: Partial<MappingsSettings> } = {},
) {
  const clock = systemMappingsClock();
  const router = deviceRouterPort(dev);
  const h = await monitorHarness(router, { settings: opts.settings });
  await h.monitor.start();
  const facts = { identity: router.capabilities.identity, version: router.capabilities.version };
  const book = new CapabilityBook(memoryFileStore(), 'learned.json', clock);
  if (opts.learned) await book.record('router', facts, opts.learned);
  const fake = deviceIgd(dev);
  const igd = opts.igd === undefined ? fake : opts.igd;
  const target: CleanupTarget = {
    router,
    monitor: h.monitor,
    learned: { get: () => book.get('router', facts), record: (a) => book.record('router', facts, a) },
    igd,
  };
  const progress: CleanupProgress[] = [];
  const cleanup = new Cleanup({ clock, onProgress: (p) => progress.push(p), verifyMs: 1500 });
  return { dev, router, h, cleanup, target, progress, book, igd, calls: fake.calls, stop: () => h.monitor.stop() };
}

/** The dynamic mappings on the device as `id@internalAddress` (the ground truth after a cleanup). */
export const onDevice = (dev: DemoDevice): Set<string> =>
  new Set(dev.backend.store.list().map((m) => `${m.protocol}/${m.externalPort}@${m.internalAddress}`));

/** The static NAT rules, counters ignored: a cleanup must never touch one. */
export const staticRules = (dev: DemoDevice): string[] =>
  dev
    .table('/ip/firewall/nat')
    .all()
    .filter((r) => r['dynamic'] !== 'true')
    .map((r) => JSON.stringify({ ...r, bytes: '', packets: '' }));

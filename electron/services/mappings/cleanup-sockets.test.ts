/**
 * The cleanup over real sockets: the demo router in this process, the real RouterSession, PortPilot's
 * own IGD client over HTTP/SOAP, the change lock and the learnt answers in a real data dir.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { connectRouterLink } from '../../core/router-link';
import { startDemoRouter, type Unknowns } from '../../demo-router/index';
import { noVendors } from '../../mappings/testing/harness';
import { memoryJournalStore } from '../../plans';
import { DATA_FILES } from '../../storage';
import { ChangeApplier } from '../change-applier';
import { igdActionsVia } from './igd-actions';
import { createMappingsService } from './mappings-service';

const ctx = { transport: 'websocket' as const };
const STALE = ['tcp/51413', 'udp/26712', 'udp/51413', 'udp/9307'];
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function setup(unknowns: Partial<Unknowns>) {
  const demo = await startDemoRouter({
    profile: 'routeros7',
    unknowns,
    apiSslPort: null,
    ssdpPort: null,
    traffic: false,
  });
  cleanups.push(() => demo.stop());
  const link = await connectRouterLink({
    host: '127.0.0.1',
    port: demo.endpoints.apiPort,
    transport: 'api',
    user: 'admin',
    password: '',
  });
  cleanups.push(() => link.close());
  const dataDir = await mkdtemp(join(tmpdir(), 'pp-cleanup-'));
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  const progress: string[] = [];
  const svc = createMappingsService({
    router: () => link,
    onRouterState: (l) => (l(link.state()), () => {}),
    emit: (name, p) => name === 'cleanupProgress' && progress.push((p as { phase: string }).phase),
    dataDir,
    vendors: noVendors(),
    igd: igdActionsVia(() => demo.endpoints.rootDescriptionUrl),
    lock: new ChangeApplier({ router: () => link, journal: memoryJournalStore() }),
  });
  cleanups.push(() => svc.dispose());
  await svc.ready();
  const onRouter = () =>
    demo.device.backend.store.list().map((m) => `${m.protocol}/${m.externalPort}@${m.internalAddress}`);
  return { demo, svc, dataDir, progress, onRouter };
}

describe('cleanup over the RouterOS API and UPnP IGD (routeros7 home)', () => {
  it('--foreign-add allow: restart UPnP, restore the 10 kept mappings over IGD, remember the answers on disk', async () => {
    const { svc, dataDir, progress, onRouter } = await setup({ foreignAdd: 'allow' });
    const before = onRouter();
    const preview = await svc.previewCleanup(undefined, ctx);
    expect(preview.candidates.map((c) => c.mapping.id).sort()).toEqual(STALE);
    expect(preview.plan).toMatchObject({
      strategy: 'flush-and-restore',
      restore: 10,
      needsAcceptLoss: false,
      igd: true,
    });
    const summary = await svc.runCleanup(
      { previewId: preview.previewId, ids: STALE, confirm: { strategy: 'flush-and-restore', acceptLoss: false } },
      ctx,
    );
    expect(summary).toMatchObject({
      strategy: 'flush-and-restore',
      removed: 4,
      restored: 10,
      notRestored: 0,
      failed: 0,
    });
    expect(onRouter().sort()).toEqual(before.filter((k) => !STALE.some((id) => k.startsWith(`${id}@`))).sort());
    expect(progress).toContain('restoring');
    const saved = JSON.parse(await readFile(join(dataDir, DATA_FILES.cleanupCapabilities), 'utf8')) as {
      routers: Record<string, Record<string, string>>;
    };
    expect(Object.values(saved.routers)).toEqual([
      expect.objectContaining({
        identity: 'HomeRouter',
        version: '7.19.2 (stable)',
        dynamicRemove: 'refused',
        foreignDelete: 'refused',
        foreignAdd: 'allowed',
      }),
    ]);
    // The snapshot the renderer reloads shows the kept ones, with the age they had.
    const snap = await svc.snapshot(undefined, ctx);
    expect(snap.mappings.map((m) => m.id)).not.toContain('udp/9307');
    expect(snap.mappings.find((m) => m.id === 'tcp/32400')?.status).not.toBe('stale');
  });

  it('strictest RouterOS: the preview names every device that would lose its mapping; the run needs that accepted', async () => {
    const { svc } = await setup({});
    const preview = await svc.previewCleanup(undefined, ctx);
    expect(preview.plan).toMatchObject({ strategy: 'flush-and-restore', loseCount: 10, needsAcceptLoss: true });
    expect(preview.plan.sentences[1]).toMatch(/PS5-Living-Room \(2\)/);
    await expect(
      svc.runCleanup(
        { previewId: preview.previewId, ids: STALE, confirm: { strategy: 'flush-and-restore', acceptLoss: false } },
        ctx,
      ),
    ).rejects.toMatchObject({ code: 'plan-changed' });
    // Confirming only what touches nothing else: the router refuses both, nothing else changes.
    const again = await svc.previewCleanup(undefined, ctx);
    const summary = await svc.runCleanup(
      { previewId: again.previewId, ids: STALE, confirm: { strategy: 'igd-delete', acceptLoss: false } },
      ctx,
    );
    expect(summary).toMatchObject({ removed: 0, failed: 4, kept: [] });
    expect(summary.groups).toEqual([
      expect.objectContaining({
        outcome: 'failed',
        count: 4,
        reason:
          'the router refused to remove it singly; removing it needs a UPnP restart: open the cleanup again to see that plan',
      }),
    ]);
  });
});

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startDemoRouter, type DemoRouter } from '../../electron/demo-router';
import { READ_USER } from '../../electron/demo-router/device/users';
import { testConnection } from '../../electron/router-session/test-connection';
import { testServices } from '../support/services';

/*
 * Issue 18, permissions up front: the demo router's read-only user (group `read`) over real sockets,
 * through every service. It is told at connect time what PortPilot can and cannot do, and every
 * change is refused before anything is sent — not by a trap in the middle of an apply.
 */
const password = 'read-only-demo-3c9e';
const ctx = { transport: 'websocket' as const };

describe('a read-only login', () => {
  let router: DemoRouter;
  let services: ReturnType<typeof testServices>;

  beforeAll(async () => {
    router = await startDemoRouter({ apiSslPort: null, ssdpPort: null, password, traffic: false });
  });
  afterAll(async () => {
    await router.stop();
  });
  afterEach(async () => {
    await services?.dispose();
  });

  async function connectAs(user: string) {
    services = testServices();
    const { router: svc } = services.services;
    const profile = await svc.saveProfile(
      {
        name: user,
        host: '127.0.0.1',
        port: router.endpoints.apiPort,
        transport: 'api',
        user,
        password,
        savePassword: true,
      },
      ctx,
    );
    return svc.connect({ profileId: profile.id }, ctx);
  }

  /** What a change must not touch: the configuration menus, as the router holds them. */
  const config = () =>
    JSON.stringify(
      ['/ip/upnp', '/ip/firewall/filter', '/ip/firewall/nat'].map((m) =>
        router.device
          .print(m, {}, { user: 'admin', remoteAddress: '127.0.0.1' })
          .map(({ bytes: _b, packets: _p, ...r }) => r),
      ),
    );

  it('test connection says the login can show but not change the router', async () => {
    const steps = await testConnection({
      host: '127.0.0.1',
      port: router.endpoints.apiPort,
      transport: 'api',
      user: READ_USER,
      password,
    });
    expect(steps.map((s) => s.status)).toEqual(['pass', 'skip', 'pass', 'pass']);
    expect(steps[3]?.detail).toMatch(/monitor is in group "read" without the "write" policy: .* not change it/);
  });

  it('connect reads the group policy; the Overview says what PortPilot cannot do', async () => {
    const state = await connectAs(READ_USER);
    expect(state).toMatchObject({
      kind: 'connected',
      capabilities: {
        policy: { user: READ_USER, group: 'read', read: true, write: false, api: true },
        encryption: 'none',
      },
    });
    const overview = await services.services.router.overview(undefined, ctx);
    expect(overview.notes[0]).toMatch(/^monitor is in group "read", which has no "write" policy: PortPilot can show/);
  });

  it('every change is refused up front with the reason, and the router is unchanged', async () => {
    await connectAs(READ_USER);
    const before = config();
    const { config: cfg, mappings } = services.services;
    const plan = await cfg.planSettings(
      { enabled: false, allowDisableExternalInterface: false, showDummyRule: true },
      ctx,
    );
    const refused = (p: Promise<unknown>) =>
      p.then(
        () => 'not refused',
        (e: { code?: string; message?: string }) => e,
      );
    expect(await refused(cfg.apply({ planId: plan.id }, ctx))).toMatchObject({
      code: 'read-only',
      message: expect.stringMatching(/needs to change the router\. monitor is in group "read"/),
    });
    expect(await refused(cfg.rollback(undefined, ctx))).toMatchObject({ code: 'read-only' });
    // A troubleshooter fix goes through the same applier: refused the same way.
    const audit = await services.services.diagnose.audit(undefined, ctx);
    const fix = [...audit.findings.map((f) => f.fix), ...audit.suggestions.map((x) => x.fix)].find((f) => f);
    expect(fix).toBeTruthy();
    expect(await refused(services.services.diagnose.apply({ planId: fix?.id ?? '' }, ctx))).toMatchObject({
      code: 'read-only',
    });
    await mappings.ready();
    const { mappings: rows } = await mappings.snapshot(undefined, ctx);
    const id = rows[0]?.id ?? '';
    expect(id).not.toBe('');
    expect(await refused(mappings.makePermanent({ id, hairpin: false }, ctx))).toMatchObject({ code: 'read-only' });
    expect(await refused(mappings.startTrafficLog({ id }, ctx))).toMatchObject({ code: 'read-only' });
    // Single-row Remove and the restart are the cleanup's strategies now (issue 11): one door.
    const preview = await mappings.previewCleanup(undefined, ctx);
    const ids = preview.candidates.map((c) => c.mapping.id);
    const confirm = { strategy: 'flush-and-restore' as const, acceptLoss: true };
    expect(await refused(mappings.runCleanup({ previewId: preview.previewId, ids, confirm }, ctx))).toMatchObject({
      code: 'read-only',
    });
    expect(config()).toBe(before);
  });

  it('admin (group full) may change the router: no read-only note, the same apply goes through', async () => {
    const state = await connectAs('admin');
    expect(state).toMatchObject({ capabilities: { policy: { group: 'full', write: true } } });
    expect((await services.services.router.overview(undefined, ctx)).notes.join(' ')).not.toMatch(/write/);
    const { config: cfg } = services.services;
    const plan = await cfg.planSettings(
      { enabled: true, allowDisableExternalInterface: false, showDummyRule: false },
      ctx,
    );
    expect(await cfg.apply({ planId: plan.id }, ctx)).toMatchObject({ outcome: 'applied' });
  });
});

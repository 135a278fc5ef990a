import { afterEach, describe, expect, it } from 'vitest';
import type { MappingsSettings, NoticePayload } from '../../../shared/domains/mappings';
import { deviceRouterPort } from '../../../tests/support/device-router-port';
import { testLink } from '../../../tests/support/test-link';
import { DemoDevice } from '../../demo-router/device/device';
import { buildScenario } from '../../demo-router/device/scenarios/index';
import { GROUP_MS } from '../../mappings/alert-gate';
import { memoryFileStore } from '../../mappings/file-store';
import { fakeClock } from '../../mappings/testing/fake-clock';
import { noVendors } from '../../mappings/testing/harness';
import { createMappingsService } from './mappings-service';

const ctx = { transport: 'ipc' as const };
const disposers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const d of disposers.splice(0)) await d();
});

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
}

async function service() {
  const dev = new DemoDevice({ profile: 'routeros7' });
  buildScenario(dev, 'home');
  const port = testLink(deviceRouterPort(dev));
  const clock = fakeClock(Date.now());
  const notices: NoticePayload[] = [];
  const settings: MappingsSettings[] = [];
  const svc = createMappingsService({
    router: () => port,
    onRouterState: (l) => (l(port.state()), () => {}),
    emit: (name, payload) => {
      if (name === 'notice') notices.push(payload as NoticePayload);
      if (name === 'settingsChanged') settings.push(payload as MappingsSettings);
    },
    dataDir: null,
    files: memoryFileStore(),
    vendors: noVendors(),
    clock,
  });
  disposers.push(() => svc.dispose());
  await svc.ready();
  const open = (externalPort: number) =>
    dev.backend.add({
      source: 'upnp',
      protocol: 'tcp',
      externalPort,
      internalAddress: '192.168.88.77',
      internalPort: externalPort,
      description: 'remote desktop',
      leaseSeconds: 0,
      remoteHost: '',
      enabled: true,
      clientAddress: '192.168.88.77',
      allowAlternativePort: false,
    });
  return { svc, clock, notices, settings, open };
}

describe('mappings service alerts (demo device)', () => {
  it('new mappings from a new device reach the notice event grouped, after the grouping window', async () => {
    const { svc, clock, notices, open } = await service();
    expect(open(3389).ok).toBe(true);
    expect(open(5900).ok).toBe(true);
    await until(() => svc.monitor()?.get('tcp/5900') !== undefined);
    expect(notices).toEqual([]);
    clock.advance(GROUP_MS);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({
      title: '2 new mappings from 192.168.88.77',
      mappingIds: ['tcp/3389', 'tcp/5900'],
      reasons: ['watched-port', 'new-host'],
      device: { address: '192.168.88.77' },
    });
  });

  it('"Pause alerts" silences them and every settings change is announced', async () => {
    const { svc, clock, notices, settings, open } = await service();
    await svc.saveSettings({ alertsPaused: true }, ctx);
    expect(settings.at(-1)?.alertsPaused).toBe(true);
    expect(open(3389).ok).toBe(true);
    await until(() => svc.monitor()?.get('tcp/3389') !== undefined);
    clock.advance(GROUP_MS);
    expect(notices).toEqual([]);
  });
});

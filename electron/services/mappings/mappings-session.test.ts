import { afterEach, describe, expect, it } from 'vitest';
import type { SessionState } from '../../../shared/domains/router';
import { deviceRouterPort } from '../../../tests/support/device-router-port';
import { testLink } from '../../../tests/support/test-link';
import type { RouterLink } from '../../core/router-link';
import { DemoDevice } from '../../demo-router/device/device';
import { buildScenario } from '../../demo-router/device/scenarios/index';
import { DeltaBatcher } from '../../mappings/batcher';
import { systemMappingsClock } from '../../mappings/clock';
import { memoryFileStore } from '../../mappings/file-store';
import { noVendors } from '../../mappings/testing/harness';
import { DEFAULT_SETTINGS } from '../../../shared/domains/mappings';
import { historyFile } from '../../storage';
import { MappingsSession } from './mappings-session';

const sessions: MappingsSession[] = [];
afterEach(async () => {
  for (const s of sessions.splice(0)) await s.dispose();
});

function setup() {
  const dev = new DemoDevice({ profile: 'routeros7' });
  buildScenario(dev, 'home');
  const port = deviceRouterPort(dev);
  const files = memoryFileStore();
  const clock = systemMappingsClock();
  let current: RouterLink | null = null;
  const session = new MappingsSession({
    router: () => current,
    clock,
    files,
    batcher: new DeltaBatcher(() => {}, clock),
    log: () => {},
    settingsLoaded: Promise.resolve(),
    monitor: { vendors: noVendors(), settings: () => DEFAULT_SETTINGS, onStatus: () => {}, onNotice: () => {} },
    onStopped: () => {},
  });
  sessions.push(session);
  const connect = async (link: RouterLink | null, state?: SessionState) => {
    current = link;
    session.follow(state ?? (link ? link.state() : { kind: 'idle' }));
    await session.ready();
  };
  return { port, files, session, connect };
}

describe('MappingsSession: a monitor per router, with that router’s own history', () => {
  it('keeps first-seen times per router: another router gets its own history file', async () => {
    const { port, files, session, connect } = setup();
    const a = testLink(port, { dataKey: 'MikroTik@192.168.88.1:8728' });
    await connect(a);
    const first = session.monitor;
    expect(first?.list().length).toBeGreaterThan(0);
    const b = testLink(port, { dataKey: 'Office@10.0.0.1:8728', ref: { host: '10.0.0.1' } });
    await connect(b);
    expect(session.monitor).not.toBe(first);
    await connect(null);
    expect([...files.files.keys()].sort()).toEqual(
      [historyFile('MikroTik@192.168.88.1:8728'), historyFile('Office@10.0.0.1:8728')].sort(),
    );
  });

  it('a demo run keeps its history in memory only (its devices are new on every start)', async () => {
    const { port, files, connect } = setup();
    const ref = { profileId: 'demo', demo: { dialect: 'routeros7' as const, scenario: 'home' as const } };
    await connect(testLink(port, { dataKey: 'demo-routeros7-home-1', ref }));
    await connect(null);
    expect([...files.files.keys()]).toEqual([]);
  });

  it('a reconnect of the same router resyncs the running monitor instead of starting another', async () => {
    const { port, session, connect } = setup();
    const a = testLink(port);
    await connect(a);
    const first = session.monitor;
    await connect(a, { kind: 'reconnecting', router: a.ref, attempt: 1, inMs: 100, reason: 'lost' });
    await connect(a);
    expect(session.monitor).toBe(first);
  });
});

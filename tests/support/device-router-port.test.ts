import { describe, expect, it } from 'vitest';
import { DemoDevice } from '../../electron/demo-router/device/device';
import { buildScenario } from '../../electron/demo-router/device/scenarios/index';
import { isNoSuchCommand } from '../../electron/core/router-port';
import { deviceRouterPort } from './device-router-port';

describe('deviceRouterPort (test double on the demo device)', () => {
  it('reads, queries, changes and listens like the API', async () => {
    const device = new DemoDevice({ profile: 'seed' });
    buildScenario(device, 'home');
    const port = deviceRouterPort(device);
    expect(port.capabilities.menus).toEqual({ upnpPermissions: true, upnpMappings: true, natPmp: true });
    const dynamic = await port.print('/ip/firewall/nat', { query: ['?dynamic=true'], proplist: ['comment'] });
    expect(dynamic.length).toBeGreaterThan(0);
    expect(Object.keys(dynamic[0]!)).toEqual(['comment']);
    const seen: string[] = [];
    const listen = port.listen('/ip/firewall/filter', (row) => seen.push(row['.id'] ?? ''));
    const id = await port.add('/ip/firewall/filter', { chain: 'forward', action: 'accept', comment: 't' });
    await port.remove('/ip/firewall/filter', [id]);
    await listen.cancel();
    expect(seen).toEqual([id, id]);
  });

  it('rejects with the router’s trap for a menu the profile lacks', async () => {
    const device = new DemoDevice({ profile: 'routeros7' });
    const port = deviceRouterPort(device);
    const err = await port.print('/ip/upnp/permissions').catch((e: unknown) => e);
    expect(isNoSuchCommand(err)).toBe(true);
  });
});

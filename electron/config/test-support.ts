/** Shared helpers for configuration tests: a demo device per profile/scenario and a config export. */
import { DemoDevice } from '../demo-router/device/device';
import type { Profile } from '../demo-router/device/registry';
import { buildScenario, type ScenarioName } from '../demo-router/device/scenarios/index';
import type { RouterPort } from '../core/router-port';
import { deviceRouterPort } from '../../tests/support/device-router-port';

export function demo(profile: Profile, scenario: ScenarioName): { device: DemoDevice; router: RouterPort } {
  const device = new DemoDevice({ profile });
  buildScenario(device, scenario);
  return { device, router: deviceRouterPort(device) };
}

/** Every configuration menu PortPilot may change, printed without ids (ids never come back). */
export async function exportConfig(router: RouterPort): Promise<Record<string, Array<Record<string, string>>>> {
  const menus = [
    '/ip/upnp',
    '/ip/upnp/interfaces',
    '/ip/nat-pmp',
    '/ip/nat-pmp/interfaces',
    '/ip/firewall/filter',
    '/ip/firewall/nat',
  ];
  if (router.capabilities.menus.upnpPermissions) menus.push('/ip/upnp/permissions');
  const out: Record<string, Array<Record<string, string>>> = {};
  for (const menu of menus) {
    const rows = await router.print(menu);
    out[menu] = rows
      .filter((r) => r['dynamic'] !== 'true')
      .map((r) =>
        Object.fromEntries(Object.entries(r).filter(([k]) => k !== '.id' && k !== 'bytes' && k !== 'packets')),
      );
  }
  return out;
}

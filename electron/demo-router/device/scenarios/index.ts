import type { DemoDevice } from '../device';
import { READ_USER } from '../users';
import { buildHome } from './home';
import { buildFresh, buildLarge, buildNatType3 } from './others';

export const SCENARIOS = ['home', 'fresh', 'nat-type-3', 'large'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export function isScenario(name: string): name is ScenarioName {
  return (SCENARIOS as readonly string[]).includes(name);
}

export function buildScenario(dev: DemoDevice, name: ScenarioName): void {
  const builders: Record<ScenarioName, (d: DemoDevice) => void> = {
    home: (d) => buildHome(d),
    fresh: buildFresh,
    'nat-type-3': buildNatType3,
    large: buildLarge,
  };
  builders[name](dev);
  // A router in use has been up for a while (the stale mappings' hosts left days ago); a fresh one was
  // just unboxed. A reboot restarts the count as usual.
  if (name !== 'fresh') {
    dev.table('/system/resource').hidden.set('', { bootAt: dev.clock.now() - UPTIME_DAYS * 86_400_000 });
    // A router in use often has a read-only login too (monitoring, a tool like PortPilot): it shows
    // what a user without the write policy can and cannot do.
    dev.addUser(READ_USER, 'read', 'read-only: monitoring');
  }
}

const UPTIME_DAYS = 23;

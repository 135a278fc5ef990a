/** Runs the demo router in its own process, so the bench process holds only PortPilot's backend. */
import { spawnDemoRouter } from '../support/demo-child';

export interface DemoProcess {
  apiPort: number;
  rootDescriptionUrl: string;
  stop(): Promise<void>;
}

/**
 * `extra`: more arguments for the demo router's CLI (e.g. `--foreign-add allow`), or a number of
 * mappings > 10,000: the `large` scenario grown by tests/bench/demo-extra.ts (routeros7, no traffic).
 */
export async function startDemoProcess(
  profile: 'routeros7' | 'seed',
  scenario: string,
  extra: string[] | number = [],
): Promise<DemoProcess> {
  const args =
    typeof extra === 'number'
      ? ['tests/bench/demo-extra.ts', String(extra)]
      : [
          'electron/demo-router/cli.ts',
          '--profile',
          profile,
          '--scenario',
          scenario,
          '--password',
          'pw',
          '--natpmp-port',
          '0',
          '--api-ssl-port',
          '0',
          ...extra,
        ];
  // PP_DEMO_NODE_FLAGS adds node flags to the router's process (e.g. `--cpu-prof --cpu-prof-dir=…`).
  const flags = (process.env['PP_DEMO_NODE_FLAGS'] ?? '').split(' ').filter(Boolean);
  const [script = '', ...rest] = args;
  return spawnDemoRouter(script, rest, flags);
}

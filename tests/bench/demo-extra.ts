/**
 * The demo router's `large` scenario with more mappings, for snapshot_50k_ms: run by demo-process.ts
 * as `tsx tests/bench/demo-extra.ts <total>`. Prints the same ready line as the demo router's CLI.
 */
import { startDemoRouter } from '../../electron/demo-router/index';
import { seedMapping } from '../../electron/demo-router/device/scenarios/hosts';

async function main(): Promise<void> {
  const total = Number(process.argv[2] ?? 50_000);
  const router = await startDemoRouter({
    profile: 'routeros7',
    scenario: 'large',
    password: 'pw',
    apiSslPort: null,
    natpmpPort: 0,
    ssdpPort: null,
    traffic: false,
  });
  // `large` holds 10,000 on ports 40000-49999; the rest go to 10000-29999, both protocols, same 100 hosts.
  let added = 0;
  for (let port = 10_000; port < 30_000 && added < total - 10_000; port++) {
    for (const protocol of ['tcp', 'udp'] as const) {
      const address = `192.168.88.${100 + (port % 100)}`;
      try {
        seedMapping(router.device, { protocol, port, address, description: `bulk ${address}:${port}` });
        added++;
      } catch {
        // A port a `home` mapping already uses.
      }
    }
  }
  process.stdout.write(
    `${JSON.stringify({ ready: true, apiPort: router.endpoints.apiPort, rootDescriptionUrl: router.endpoints.rootDescriptionUrl })}\n`,
  );
  process.once('SIGTERM', () => void router.stop().then(() => process.exit(0)));
}

void main();

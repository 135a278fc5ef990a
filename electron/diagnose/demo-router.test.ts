/**
 * The troubleshooter over real sockets: the demo router's API server, the real RouterSession, fixes
 * applied through the plan engine — and an independent UPnP client (the demo IGD over HTTP/SOAP)
 * showing the fixed console really can map its port afterwards.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { connectRouter } from '../cli/session-port';
import { startDemoRouter, type DemoRouter, type Profile } from '../demo-router/index';
import { IgdClient, IgdSoapFault } from '../igd-client';
import { runDiagnosis } from './engine';
import { failingIds, fixEverything } from './test-support';

const CONSOLE = '192.168.20.15';
const routers: DemoRouter[] = [];
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
  for (const r of routers.splice(0)) await r.stop();
});

async function connect(profile: Profile) {
  const demo = await startDemoRouter({
    profile,
    scenario: 'nat-type-3',
    traffic: false,
    apiSslPort: null,
    ssdpPort: null,
    // This PC's IGD client stands in for the console's own request (NewInternalClient = the console).
    unknowns: { foreignAdd: 'allow' },
  });
  routers.push(demo);
  const link = await connectRouter({
    address: { host: '127.0.0.1', port: demo.endpoints.apiPort },
    user: demo.user,
    password: '',
    transport: 'api',
  });
  closers.push(link.close);
  return { demo, router: link };
}

describe.each<Profile>(['seed', 'routeros7'])('nat-type-3 over the RouterOS API (%s)', (profile) => {
  it('the console is refused before the fixes and maps UDP 3074 after them; only double NAT remains', async () => {
    const { demo, router } = await connect(profile);
    const igd = await IgdClient.fromLocation(demo.endpoints.rootDescriptionUrl);
    const ask = () =>
      igd.addPortMapping({
        externalPort: 3074,
        protocol: 'UDP',
        internalPort: 3074,
        internalClient: CONSOLE,
        description: 'PS5 PSN 3074',
        leaseDuration: 0,
      });
    await expect(ask()).rejects.toBeInstanceOf(IgdSoapFault);
    const { after, applied } = await fixEverything(router, CONSOLE, 'nat-type-3', 12);
    expect(applied.length).toBeGreaterThanOrEqual(profile === 'seed' ? 4 : 3);
    expect(failingIds(after)).toEqual(['double-nat']);
    await ask();
    const again = await runDiagnosis(router, { device: CONSOLE, symptom: 'nat-type-3' });
    expect(again.findings.find((f) => f.id === 'no-mappings-for-device')?.status).toBe('pass');
    expect(again.prediction?.level).toBe('moderate');
  }, 60_000);
});

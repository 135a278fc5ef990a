// The whole self-test against the demo router over real sockets (IGD SOAP over HTTP, SSDP unicast,
// NAT-PMP over UDP on 127.0.0.1); the verify-on-router steps go through the real RouterSession to the
// demo router's API server.
import { afterEach, describe, expect, it } from 'vitest';
import { startDemoRouter, type DemoRouter } from '../demo-router/index';
import type { RouterPort } from '../core/router-port';
import type { SelfTestStep } from '../../shared/domains/selftest';
import { runSelfTest } from './engine';
import { realSelfTestPorts } from './real-ports';
import { connectRouterLink } from '../core/router-link';

let demo: DemoRouter | null = null;
let closeRouter: (() => Promise<void>) | null = null;
afterEach(async () => {
  await closeRouter?.();
  closeRouter = null;
  await demo?.stop();
  demo = null;
});

const statuses = (steps: SelfTestStep[]): Record<string, string> =>
  Object.fromEntries(steps.map((s) => [s.id, s.status]));

describe.each(['routeros7', 'seed'] as const)('self-test against the demo router (%s)', (profile) => {
  it('passes every step, verifies both mappings on the router and leaves nothing behind', async () => {
    demo = await startDemoRouter({ host: '127.0.0.1', profile, scenario: 'home', traffic: false });
    const link = await connectRouterLink({
      host: '127.0.0.1',
      port: demo.endpoints.apiPort,
      transport: 'api',
      user: 'admin',
      password: '',
    });
    closeRouter = link.close;
    const router: RouterPort = link;
    const before = await router.print('/ip/firewall/nat', { query: ['?dynamic=true'] });
    const streamed: SelfTestStep[] = [];
    const report = await runSelfTest(
      realSelfTestPorts({ router, discoveryWindowMs: 600 }),
      {
        multicast: false,
        ssdpTarget: { address: '127.0.0.1', port: demo.endpoints.ssdpPort ?? 0 },
        natPmpGateway: demo.endpoints.natPmp.host,
        natPmpPort: demo.endpoints.natPmp.port,
      },
      { onStep: (s) => streamed.push(s) },
    );
    expect(report.findings).toEqual([]);
    expect(statuses(report.steps)).toEqual(Object.fromEntries(report.steps.map((s) => [s.id, 'pass'])));
    expect(report.ok).toBe(true);
    const verify = report.steps.find((s) => s.id === 'igd-verify-router');
    expect(verify?.evidence.join('\n')).toMatch(/comment="upnp 127\.0\.0\.1: PortPilot self-test /);
    const natVerify = report.steps.find((s) => s.id === 'natpmp-verify-router');
    expect(natVerify?.evidence.join('\n')).toMatch(/comment="nat-pmp 127\.0\.0\.1: /);
    expect(report.steps.find((s) => s.id === 'discover')?.detail).toMatch(/RouterOS/);
    expect(report.steps.find((s) => s.id === 'external-ip')?.detail).toMatch(/matches the router/);
    // Streamed live: each step was announced as running before its result.
    expect(streamed.filter((s) => s.id === 'igd-add').map((s) => s.status)).toEqual(['running', 'pass']);
    expect(await router.print('/ip/firewall/nat', { query: ['?dynamic=true'] })).toEqual(before);
    expect(report.text).toMatch(/PASSED/);
  });
});

describe('self-test of a chosen port against the demo router, explained through the real API', () => {
  async function run(profile: 'routeros7' | 'seed', testPort: number) {
    demo = await startDemoRouter({ host: '127.0.0.1', profile, scenario: 'home', traffic: false });
    const link = await connectRouterLink({
      host: '127.0.0.1',
      port: demo.endpoints.apiPort,
      transport: 'api',
      user: 'admin',
      password: '',
    });
    closeRouter = link.close;
    return runSelfTest(realSelfTestPorts({ router: link }), {
      gatewayUrl: demo.endpoints.rootDescriptionUrl,
      natPmpGateway: '127.0.0.1',
      natPmpPort: demo.endpoints.natPmp.port,
      testPort,
    });
  }

  it('606 on TCP 80 (seed guide permissions) names the deny rule', async () => {
    const report = await run('seed', 80);
    const add = report.steps.find((s) => s.id === 'igd-add');
    expect(add?.status).toBe('fail');
    expect(add?.next).toMatch(
      /\/ip upnp permissions rule #2 \(action=deny protocol=tcp dst-port=0-1023 comment="block privileged TCP"\) refused tcp 80 for 127\.0\.0\.1/,
    );
    expect(report.findings.find((f) => f.id === 'port-denied')).toBeDefined();
    // NAT-PMP does not refuse: it grants another port (RFC 6886 §3.3), which matters when the user asked for 80.
    expect(report.steps.find((s) => s.id === 'natpmp-map')).toMatchObject({
      status: 'warn',
      detail: expect.stringContaining('another port than 80'),
    });
    expect(report.ok).toBe(false);
  });

  it('TCP 32400 is held by the Plex server: the holder is named and its mapping left alone', async () => {
    const report = await run('routeros7', 32400);
    expect(report.steps.find((s) => s.id === 'igd-add')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('192.168.88.10 ("Plex Media Server", upnp)'),
    });
    const rules = await (demo ? Promise.resolve(demo.device) : Promise.reject(new Error('no demo'))).then((d) =>
      d.print('/ip/firewall/nat', {}, { user: 'admin', remoteAddress: '127.0.0.1' }),
    );
    expect(
      rules.some((r) => r['dst-port'] === '32400' && r['comment'] === 'upnp 192.168.88.10: Plex Media Server'),
    ).toBe(true);
  });
});

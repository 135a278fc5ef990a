// The whole self-test against the demo router over real sockets (IGD SOAP over HTTP, SSDP unicast,
// NAT-PMP over UDP on 127.0.0.1); the verify-on-router steps go through the real RouterSession to the
// demo router's API server.
import { afterEach, describe, expect, it } from 'vitest';
import { startDemoRouter, type DemoRouter } from '../demo-router/index';
import type { RouterPort } from '../core/router-port';
import type { SelfTestReport, SelfTestStep } from '../../shared/domains/selftest';
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
  async function run(profile: 'routeros7' | 'seed', testPort: number, gatewayUrlFrom?: 'user' | 'demo') {
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
      ...(gatewayUrlFrom ? { gatewayUrlFrom } : {}),
      natPmpGateway: '127.0.0.1',
      natPmpPort: demo.endpoints.natPmp.port,
      testPort,
    });
  }

  it('says where the gateway URL came from: typed by the user, or the demo router’s own (issue 13)', async () => {
    const discover = (r: SelfTestReport) => r.steps.find((s) => s.id === 'discover')?.evidence.join('\n') ?? '';
    const byUser = await run('routeros7', 32400);
    expect(discover(byUser)).toMatch(/root description URL given by hand: http:\/\/127\.0\.0\.1:\d+/);
    await closeRouter?.();
    await demo?.stop();
    const byDemo = await run('routeros7', 32400, 'demo');
    expect(discover(byDemo)).toMatch(/the demo router’s root description URL: http:\/\/127\.0\.0\.1:\d+/);
    expect(discover(byDemo)).not.toMatch(/by hand/);
  });

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

describe('a connected router’s LAN address is the NAT-PMP gateway (issue 15)', () => {
  it('NAT-PMP goes to the address PortPilot is connected to, not the OS default gateway, and is verified on the router', async () => {
    demo = await startDemoRouter({ host: '127.0.0.1', profile: 'routeros7', scenario: 'home', traffic: false });
    const link = await connectRouterLink({
      host: '127.0.0.1',
      port: demo.endpoints.apiPort,
      transport: 'api',
      user: 'admin',
      password: '',
    });
    closeRouter = link.close;
    // This PC: its default gateway is another box (10.9.9.1, never contacted: the IGD URL is given and
    // NAT-PMP goes to the router), and the router is on its loopback, like the embedded demo router.
    const ports = realSelfTestPorts({
      router: link,
      routes: {
        platform: 'linux',
        readFile: async () =>
          'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n' +
          'eth0\t00000000\t0109090A\t0003\t0\t0\t100\t00000000\t0\t0\t0\n',
      },
      networkInterfaces: () => ({
        lo: [
          {
            address: '127.0.0.1',
            netmask: '255.0.0.0',
            family: 'IPv4',
            mac: '00:00:00:00:00:00',
            internal: true,
            cidr: '127.0.0.1/8',
          },
        ],
        eth0: [
          {
            address: '10.9.9.20',
            netmask: '255.255.255.0',
            family: 'IPv4',
            mac: '52:1e:00:00:00:01',
            internal: false,
            cidr: '10.9.9.20/24',
          },
        ],
      }),
    });
    const natHosts: string[] = [];
    const natPmpClient = ports.natPmpClient;
    ports.natPmpClient = (t) => (natHosts.push(`${t.host}:${t.port}`), natPmpClient(t));
    const report = await runSelfTest(ports, {
      routerHost: link.host,
      gatewayUrl: demo.endpoints.rootDescriptionUrl,
      natPmpPort: demo.endpoints.natPmp.port,
    });
    expect(natHosts).toEqual([`127.0.0.1:${demo.endpoints.natPmp.port}`]);
    const map = report.steps.find((s) => s.id === 'natpmp-map');
    expect(map?.evidence[0]).toBe(
      'NAT-PMP gateway 127.0.0.1: the connected router’s LAN address on this PC’s subnet; this PC is 127.0.0.1 toward it',
    );
    expect(report.steps.find((s) => s.id === 'discover')?.evidence).toEqual(
      expect.arrayContaining([
        'default gateway 10.9.9.1 on "eth0" (this PC: 10.9.9.20): the only default route with a gateway',
        'the router’s LAN address is 127.0.0.1, the address PortPilot is connected to, on "lo" 127.0.0.1/8',
      ]),
    );
    expect(report.steps.find((s) => s.id === 'natpmp-verify-router')?.status).toBe('pass');
    expect(report.findings).toEqual([]); // a router on this PC's loopback: the other default gateway is no finding
    expect(report.ok).toBe(true);
  });
});

// Interop: the "Test from this PC" self-test, run as the CLI (`cli selftest --json`) inside the lab's
// LAN namespace: against the real miniupnpd (public and CGNAT WAN), and against the demo router
// running in the router namespace, found over real multicast SSDP and verified through its API.
// Every command that touches a lab address runs inside a lab namespace; teardown runs even on failure.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLab, labUnavailableReason, type Lab } from './lab';
import { nodeInNamespace, runClient, valueOf } from './lab-client';
import type { PortMapping } from '../../electron/igd-client/index';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = fileURLToPath(new URL('../../electron/cli/index.ts', import.meta.url));
const LAUNCHER = fileURLToPath(new URL('./selftest-demo-launcher.ts', import.meta.url));

const unavailable = labUnavailableReason();
if (unavailable) console.warn(`SKIPPED interop lab: ${unavailable}`);

interface JsonReport {
  ok: boolean;
  steps: { id: string; status: string; detail: string; evidence: string[] }[];
  findings: { id: string; severity: string; evidence: string[] }[];
}

/** `cli selftest --json …` inside namespace `ns`; resolves with the exit code and the parsed report. */
async function selftestIn(
  lab: Lab,
  ns: string,
  args: string[],
): Promise<{ code: number | null; report: JsonReport; stderr: string }> {
  // The CLI must end by itself (every socket closed); a hang is killed and fails the test.
  const { code, signal, out, err } = await nodeInNamespace(lab, ns, [CLI, 'selftest', '--json', ...args], 45_000);
  try {
    return { code, report: JSON.parse(out) as JsonReport, stderr: err };
  } catch {
    throw new Error(`selftest in ${ns} ended with ${code ?? signal} without JSON: ${out}\n${err}`);
  }
}

const status = (r: JsonReport): Record<string, string> => Object.fromEntries(r.steps.map((s) => [s.id, s.status]));

describe.skipIf(unavailable !== null).each([{ igdV1: false }, { igdV1: true }])(
  'self-test against miniupnpd, public WAN (IGD:1 description: $igdV1)',
  ({ igdV1 }) => {
    let lab: Lab;
    beforeAll(async () => {
      lab = await createLab({ wan: 'public', igdV1 });
    });
    afterAll(() => lab?.teardown());

    it('passes from the LAN host over multicast SSDP, exits 0 and leaves no mapping behind', async () => {
      const { code, report, stderr } = await selftestIn(lab, lab.ns.lan, []);
      expect(code, stderr).toBe(0);
      expect(report.ok).toBe(true);
      expect(status(report)).toEqual({
        discover: 'pass',
        description: 'pass',
        'external-ip': 'pass',
        'igd-add': 'pass',
        'igd-verify-router': 'skip',
        'igd-list': 'pass',
        'igd-delete': 'pass',
        'igd-verify-gone': 'pass',
        'natpmp-map': 'pass',
        'natpmp-verify-router': 'skip',
        'natpmp-unmap': 'pass',
        'natpmp-verify-gone': 'skip',
        cleanup: 'pass',
      });
      const discover = report.steps.find((s) => s.id === 'discover');
      expect(discover?.evidence.join('\n')).toContain(`${lab.rootDescUrl} — `);
      expect(discover?.detail).toContain('not RouterOS');
      expect(report.steps.find((s) => s.id === 'external-ip')?.detail).toBe(lab.addr.rtrWan);
      expect(report.findings.map((f) => f.id)).toEqual(['no-router']);
      const left = await runClient(lab, lab.ns.lan, [{ op: 'open', location: lab.rootDescUrl }, { op: 'list' }]);
      expect(valueOf<PortMapping[]>(left.results[1])).toEqual([]);
      expect(lab.exec(lab.ns.rtr, ['nft', 'list', 'chain', 'inet', 'pp_upnp_nat', 'UPnP'])).not.toMatch(/dnat/);
    });

    it('a port denied by a permission line gets 606, explained, and exit 1; nothing is left behind', async () => {
      const { code, report } = await selftestIn(lab, lab.ns.lan, [
        '--gateway-url',
        lab.rootDescUrl,
        '--port',
        String(lab.deniedPort),
      ]);
      expect(code).toBe(1);
      const add = report.steps.find((s) => s.id === 'igd-add');
      expect(add).toMatchObject({ status: 'fail', detail: `UPnP 606 Action not authorized for TCP ${lab.deniedPort}` });
      // The refusal is explained without naming a menu the gateway may not have (issue 11).
      expect(add?.evidence.join('\n')).toMatch(/the router refused it[\s\S]*miniupnpd its allow\/deny lines/);
      expect(add?.evidence.join('\n')).not.toMatch(/\/ip upnp permissions/);
      expect(report.findings.find((f) => f.id === 'port-denied')?.severity).toBe('error');
      // miniupnpd silently moves a denied NAT-PMP request to another port (igd-lab-facts): reported, not hidden.
      expect(report.steps.find((s) => s.id === 'natpmp-map')?.detail).toContain(`another port than ${lab.deniedPort}`);
      expect(report.steps.find((s) => s.id === 'cleanup')?.status).toBe('pass');
      expect(lab.exec(lab.ns.rtr, ['nft', 'list', 'chain', 'inet', 'pp_upnp_nat', 'UPnP'])).not.toMatch(/dnat/);
    });

    it('with the NAT-PMP gateway named, a NAT-PMP answer is required and given', async () => {
      const { code, report } = await selftestIn(lab, lab.ns.lan2, [
        '--natpmp-gateway',
        lab.addr.rtrLan,
        '--gateway-url',
        lab.rootDescUrl,
      ]);
      expect(code).toBe(0);
      expect(report.steps.find((s) => s.id === 'natpmp-map')?.detail).toMatch(
        /^TCP \d+ → 192\.168\.77\.11:\d+ for \d+ s$/,
      );
    });
  },
);

describe.skipIf(unavailable !== null)('self-test against miniupnpd behind CGNAT (100.64.x WAN)', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await createLab({ wan: 'cgnat', igdV1: false });
  });
  afterAll(() => lab?.teardown());

  it('reports double-nat and exits 1', async () => {
    const { code, report } = await selftestIn(lab, lab.ns.lan, []);
    expect(code).toBe(1);
    expect(report.ok).toBe(false);
    expect(status(report)).toMatchObject({
      discover: 'pass',
      'external-ip': 'fail',
      'igd-add': 'fail',
      'natpmp-map': 'fail',
      cleanup: 'pass',
    });
    const f = report.findings.find((x) => x.id === 'double-nat');
    expect(f?.severity).toBe('error');
    // Empty external IP, 501 on AddPortMapping and NAT-PMP result 3 all count as evidence.
    expect(f?.evidence.join('\n')).toMatch(/no external address[\s\S]*501[\s\S]*result 3/);
  });
});

describe.skipIf(unavailable !== null).each(['routeros7', 'seed'])(
  'self-test against the demo router (%s) in the router namespace',
  (profile) => {
    let lab: Lab;
    let demo: ChildProcess | null = null;
    let endpoints: { apiPort: number; rootDescriptionUrl: string };
    beforeAll(async () => {
      lab = await createLab({ wan: 'public', igdV1: false });
      // The lab's miniupnpd holds 1900/5351 in the router namespace: this run puts the demo router there instead.
      process.kill(lab.miniupnpdPid, 'SIGKILL');
      demo = spawn(
        'ip',
        ['netns', 'exec', lab.ns.rtr, process.execPath, '--import', 'tsx', LAUNCHER, lab.addr.rtrLan, profile],
        {
          cwd: ROOT,
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      endpoints = await new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('demo router did not start in 20 s')), 20_000);
        demo?.stdout?.once('data', (d: Buffer) => {
          clearTimeout(timer);
          resolve(JSON.parse(d.toString()) as typeof endpoints);
        });
      });
    }, 30_000);
    afterAll(() => {
      if (demo?.pid) process.kill(demo.pid, 'SIGKILL');
      lab?.teardown();
    });

    it('finds it over multicast SSDP alone as RouterOS, then, connected, verifies both mappings on the router through its API and passes', async () => {
      // Without a default route and without a router connection the self-test has no address for a
      // unicast M-SEARCH: only multicast from the LAN adapter can find the router.
      lab.exec(lab.ns.lan2, ['ip', 'route', 'del', 'default']);
      const alone = await selftestIn(lab, lab.ns.lan2, []);
      const found = alone.report.steps.find((s) => s.id === 'discover');
      expect(found?.evidence).toContain(
        `SSDP M-SEARCH for IGD:2, IGD:1, WANIPConnection and WANPPPConnection: multicast from "eth0" ${lab.addr.lan2}/24`,
      );
      expect(found?.detail).toContain(`using ${endpoints.rootDescriptionUrl} (RouterOS)`);
      // Connected (issue 15): the router's LAN address is the unicast SSDP target and the NAT-PMP gateway.
      const { code, report, stderr } = await selftestIn(lab, lab.ns.lan2, [
        '--router',
        `${lab.addr.rtrLan}:${endpoints.apiPort}`,
        '--user',
        'admin',
      ]);
      expect(code, JSON.stringify(report.steps.filter((s) => s.status !== 'pass')) + stderr).toBe(0);
      expect(report.steps.filter((s) => s.status !== 'pass')).toEqual([]);
      expect(report.findings).toEqual([]);
      const discover = report.steps.find((s) => s.id === 'discover');
      expect(discover?.evidence.join('\n')).toMatch(/no default gateway for a unicast search/);
      expect(discover?.evidence).toContain(
        `SSDP M-SEARCH for IGD:2, IGD:1, WANIPConnection and WANPPPConnection: multicast from "eth0" ${lab.addr.lan2}/24; unicast to ${lab.addr.rtrLan}:1900 (the router’s LAN address)`,
      );
      expect(discover?.evidence.join('\n')).toContain(`— answered on "eth0"`);
      expect(report.steps.find((s) => s.id === 'natpmp-map')?.evidence[0]).toBe(
        `NAT-PMP gateway ${lab.addr.rtrLan}: the connected router’s LAN address on this PC’s subnet; this PC is ${lab.addr.lan2} toward it`,
      );
      expect(discover?.detail).toContain(`using ${endpoints.rootDescriptionUrl} (RouterOS)`);
      const verify = report.steps.find((s) => s.id === 'igd-verify-router')?.evidence.join('\n');
      expect(verify).toContain(`comment="upnp ${lab.addr.lan2}: PortPilot self-test `);
      const natVerify = report.steps.find((s) => s.id === 'natpmp-verify-router')?.evidence.join('\n');
      expect(natVerify).toContain(`comment="nat-pmp ${lab.addr.lan2}: `);
    });
  },
);

import { describe, expect, it } from 'vitest';
import type { SelfTestStep } from '../../shared/domains/selftest';
import { IgdError } from '../igd-client/errors';
import type { Timings } from '../stun/channel';
import {
  FakeInternet,
  FakeNat,
  FakeStunServer,
  ManualClock,
  countingRandom,
  type FakeNatBehaviour,
  type FakeStunServerOptions,
} from '../stun/test-fakes';
import { runSelfTest } from './engine';
import { fakeWorld, type FakeWorld } from './test-fakes';

const STUN = { host: '198.51.100.1', port: 3478 };
const T: Timings = { rtoMs: 50, requests: 3, lastWaitFactor: 4 };
const MASQUERADE: FakeNatBehaviour = {
  mapping: 'endpoint-independent',
  filtering: 'address-and-port-dependent',
  ports: 'preserving',
};

interface Lab {
  w: FakeWorld;
  clock: ManualClock;
  nat: FakeNat;
}

/** This PC (192.168.88.30) behind a NAT whose public address is `natPublic`, a RFC 5780 server, and
 *  the fake gateway. `wired`: the gateway's UDP mappings really forward through that NAT (false =
 *  they exist on a router the traffic never reaches, or something drops it after the router). */
function lab(o: {
  wired: boolean;
  natPublic?: string;
  nat?: FakeNatBehaviour;
  server?: Partial<FakeStunServerOptions>;
}): Lab {
  const w = fakeWorld();
  const internet = new FakeInternet();
  const clock = new ManualClock();
  new FakeStunServer(internet, {
    primary: { address: STUN.host, port: 3478 },
    alternate: { address: '198.51.100.3', port: 3479 },
    ...o.server,
  });
  const nat = new FakeNat(internet, o.natPublic ?? w.igd.externalIp, o.nat ?? MASQUERADE, '192.168.88.30');
  w.ports.stun = { net: nat.host, timers: clock, randomBytes: countingRandom() };
  if (o.wired) {
    const add = w.igd.addPortMapping.bind(w.igd);
    const del = w.igd.deletePortMapping.bind(w.igd);
    w.igd.addPortMapping = async (m) => {
      await add(m);
      if (m.protocol === 'UDP') nat.forwards.set(m.externalPort, m.internalPort);
    };
    w.igd.deletePortMapping = async (port, protocol) => {
      await del(port, protocol);
      if (protocol === 'UDP') nat.forwards.delete(port);
    };
    const map = w.natpmp.map.bind(w.natpmp);
    w.natpmp.map = async (req) => {
      const g = await map(req);
      if (req.protocol === 'udp') nat.forwards.set(g.externalPort, req.internalPort);
      return g;
    };
    const unmap = w.natpmp.unmap.bind(w.natpmp);
    w.natpmp.unmap = async (req) => {
      await unmap(req);
      if (req.protocol === 'udp')
        for (const [ext, int] of nat.forwards) if (int === req.internalPort) nat.forwards.delete(ext);
    };
  }
  return { w, clock, nat };
}

const run = (l: Lab, stun: { host: string; port: number } | null = STUN) =>
  l.clock.settle(runSelfTest(l.w.ports, { stun: stun ?? undefined, stunTimings: T }));
const step = (steps: SelfTestStep[], id: string): SelfTestStep => {
  const s = steps.find((x) => x.id === id);
  if (!s) throw new Error(`no step ${id}`);
  return s;
};
const udpLeft = (l: Lab) => [...l.w.igd.table.values()].filter((m) => m.protocol === 'UDP');

describe('self-test inbound step (STUN CHANGE-REQUEST through a UPnP / NAT-PMP mapping)', () => {
  it('proves unsolicited UDP reaches this PC through the mappings, after a silent control, and removes them', async () => {
    const l = lab({ wired: true });
    const r = await run(l);
    const s = step(r.steps, 'inbound');
    expect(r.steps.map((x) => x.id).slice(-2)).toEqual(['inbound', 'cleanup']);
    expect(s.status).toBe('pass');
    expect(s.detail).toBe(
      'unsolicited UDP from 198.51.100.3:3479 reached this PC through the UPnP and NAT-PMP mapping',
    );
    const ev = s.evidence.join('\n');
    expect(ev).toMatch(/the Internet sees this PC as 81\.2\.69\.142:50000/);
    expect(ev).toMatch(/before any mapping: nothing came in from 198\.51\.100\.3:3479/);
    expect(ev).toMatch(
      /through the UPnP mapping \(answer sent to public port 50001\): the answer from 198\.51\.100\.3:3479 reached local UDP port 50001/,
    );
    expect(ev).toMatch(
      /should show Xbox Open, PlayStation Type 2 \(Type 1 only without any router\), Nintendo Switch Type A/,
    );
    expect(udpLeft(l)).toEqual([]);
    expect(l.nat.forwards.size).toBe(0);
    expect(l.w.router?.menus['/ip/firewall/nat']).toEqual([]);
    expect(r.ok).toBe(true);
  });

  it('behind a NAT that changes ports per destination, RESPONSE-PORT still sends the answer through the mapping', async () => {
    const r = await run(
      lab({
        wired: true,
        nat: { mapping: 'address-dependent', filtering: 'address-and-port-dependent', ports: 'random' },
      }),
    );
    expect(step(r.steps, 'inbound')).toMatchObject({
      status: 'pass',
      detail: expect.stringMatching(/through the UPnP and NAT-PMP mapping/),
    });
  });

  it('a server without RESPONSE-PORT behind such a NAT cannot prove the mapping: a warning, not a false alarm', async () => {
    const r = await run(
      lab({
        wired: true,
        nat: { mapping: 'address-dependent', filtering: 'address-and-port-dependent', ports: 'random' },
        server: { onResponsePort: 'reject' },
      }),
    );
    const s = step(r.steps, 'inbound');
    expect(s.status).toBe('warn');
    expect(s.evidence.join('\n')).toMatch(
      /does not take RESPONSE-PORT, and this NAT sent the request from public port \d+, not the mapping's 50001/,
    );
    expect(r.findings.map((f) => f.id)).not.toContain('inbound-blocked');
  });

  it('a server without RESPONSE-PORT behind a port-keeping NAT: the plain answer proves the mapping', async () => {
    const r = await run(lab({ wired: true, server: { onResponsePort: 'reject' } }));
    expect(step(r.steps, 'inbound').status).toBe('pass');
  });

  it('double NAT: the mapping exists on the router, the Internet sees another address, nothing comes in', async () => {
    const l = lab({ wired: false, natPublic: '203.0.113.5' });
    const r = await run(l);
    const s = step(r.steps, 'inbound');
    expect(s.status).toBe('fail');
    expect(s.detail).toMatch(/double NAT/);
    const f = r.findings.find((x) => x.id === 'double-nat');
    expect(f?.evidence.join(' ')).toMatch(
      /external address is 81\.2\.69\.142\), but the Internet sees this PC as 203\.0\.113\.5/,
    );
    expect(s.evidence.join('\n')).toMatch(/the gateway lists UDP 50001 → 192\.168\.88\.30:50001/);
    expect(udpLeft(l)).toEqual([]);
    expect(r.ok).toBe(false);
  });

  it('router is the outermost NAT but nothing arrives: blames what comes after the router (this PC’s firewall)', async () => {
    const r = await run(lab({ wired: false }));
    expect(step(r.steps, 'inbound')).toMatchObject({
      status: 'fail',
      next: expect.stringMatching(/This PC’s firewall may be blocking PortPilot/),
    });
    expect(r.findings.map((f) => f.id)).toEqual(expect.arrayContaining(['inbound-blocked', 'pc-firewall']));
  });

  it.each([
    ['win32', /Windows Defender Firewall may be blocking/, /New-NetFirewallRule .*-Protocol UDP/],
    ['darwin', /The macOS firewall may be blocking/, /socketfilterfw/],
  ] as const)('on %s the advice names that OS’s firewall and its exact settings', async (platform, title, fix) => {
    const l = lab({ wired: false });
    l.w.ports.platform = platform;
    const r = await run(l);
    const f = r.findings.find((x) => x.id === 'pc-firewall');
    expect(f?.title).toMatch(title);
    expect(`${f?.detail} ${f?.evidence.join(' ')}`).toMatch(fix);
  });

  it('a network that lets everything in answers the control too: pass, and says the mapping was not needed', async () => {
    const r = await run(lab({ wired: true, nat: { ...MASQUERADE, filtering: 'endpoint-independent' } }));
    expect(step(r.steps, 'inbound').detail).toMatch(/even without a mapping/);
  });

  it('a server without OTHER-ADDRESS cannot prove anything: a warning, and the run still passes', async () => {
    const r = await run(lab({ wired: true, server: { hideOtherAddress: true } }));
    expect(step(r.steps, 'inbound')).toMatchObject({
      status: 'warn',
      detail: expect.stringMatching(/no second address/),
    });
    expect(r.ok).toBe(true);
  });

  it('a server that does not answer: a warning that names it', async () => {
    const r = await run(lab({ wired: true }), { host: '198.51.100.200', port: 3478 });
    expect(step(r.steps, 'inbound')).toMatchObject({
      status: 'warn',
      detail: expect.stringMatching(/198\.51\.100\.200 did not answer/),
    });
  });

  it('without a STUN server the step is not in the list', async () => {
    const r = await run(lab({ wired: true }), null);
    expect(r.steps.map((x) => x.id)).not.toContain('inbound');
  });

  it('a mapping the step could not delete is removed by cleanup', async () => {
    const l = lab({ wired: true });
    let failed = false;
    const del = l.w.igd.deletePortMapping.bind(l.w.igd);
    l.w.igd.deletePortMapping = async (port, protocol) => {
      if (protocol === 'UDP' && !failed) {
        failed = true;
        throw new IgdError('network', 'connection reset');
      }
      return del(port, protocol);
    };
    const r = await run(l);
    expect(step(r.steps, 'inbound').evidence.join('\n')).toMatch(
      /could not remove the UPnP mapping UDP 50001: connection reset/,
    );
    expect(step(r.steps, 'cleanup').evidence).toContain('removed the leftover UPnP mapping UDP 50001');
    expect(udpLeft(l)).toEqual([]);
  });
});

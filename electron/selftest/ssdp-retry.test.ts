import { describe, expect, it } from 'vitest';
import type { SelfTestStep } from '../../shared/domains/selftest';
import { NatPmpError } from '../igd-client/errors';
import { runSelfTest } from './engine';
import { LONG_SSDP_WINDOW_MS } from './ssdp-retry';
import { fakeWorld, type FakeWorld } from './test-fakes';

const step = (steps: SelfTestStep[], id: string): SelfTestStep => {
  const s = steps.find((x) => x.id === id);
  if (!s) throw new Error(`no step ${id}`);
  return s;
};

/** A gateway that answers SSDP only when the search listens at least `answersAfterMs`
 *  (Infinity: never); records each search's window. */
function slowSsdp(w: FakeWorld, answersAfterMs: number): Array<number | undefined> {
  const windows: Array<number | undefined> = [];
  const all = w.gateways;
  w.ports.findGateways = async ({ windowMs }) => {
    windows.push(windowMs);
    return (windowMs ?? 2500) >= answersAfterMs ? all : [];
  };
  return windows;
}

const ENABLE_UPNP = /enabled=yes|turn UPnP on|enable it/i;

describe('self-test: NAT-PMP answered but SSDP did not (issue 12)', () => {
  it('searches again for longer and says the router answered NAT-PMP but not UPnP discovery', async () => {
    const w = fakeWorld({ router: false });
    const windows = slowSsdp(w, Infinity);
    const r = await runSelfTest(w.ports);
    expect(windows).toEqual([undefined, LONG_SSDP_WINDOW_MS]);
    const discover = step(r.steps, 'discover');
    expect(discover).toMatchObject({
      status: 'fail',
      detail: 'the router answered NAT-PMP but not UPnP discovery (SSDP)',
    });
    expect(discover.next).toContain('answered NAT-PMP but not UPnP discovery');
    expect(discover.next).toContain('ssdp-blocked');
    expect(discover.next).not.toMatch(ENABLE_UPNP);
    expect(discover.evidence.join('\n')).toContain('NAT-PMP external address request to 192.168.88.1 → 81.2.69.142');
    const finding = r.findings.find((f) => f.id === 'no-gateway');
    expect(finding?.title).toBe('The router answered NAT-PMP but not UPnP discovery');
    expect(finding?.detail).not.toMatch(ENABLE_UPNP);
    // The NAT-PMP steps still run and pass.
    expect(step(r.steps, 'natpmp-map').status).toBe('pass');
  });

  it('a gateway that answers only the longer search is used, and the evidence says it was slow', async () => {
    const w = fakeWorld();
    const windows = slowSsdp(w, LONG_SSDP_WINDOW_MS);
    const r = await runSelfTest(w.ports);
    expect(windows).toEqual([undefined, LONG_SSDP_WINDOW_MS]);
    expect(step(r.steps, 'discover').status).toBe('pass');
    expect(step(r.steps, 'discover').evidence.join('\n')).toMatch(/answered only the longer search/);
    expect(step(r.steps, 'igd-add').status).toBe('pass');
  });

  it('no second search when NAT-PMP is silent too: the advice stays about UPnP', async () => {
    const w = fakeWorld({ router: false });
    w.natpmp.externalAddress = async () => {
      throw new NatPmpError('timeout', 'no NAT-PMP answer from 192.168.88.1:5351 after 4 tries (3750 ms)');
    };
    const windows = slowSsdp(w, Infinity);
    const r = await runSelfTest(w.ports);
    expect(windows).toEqual([undefined]);
    expect(step(r.steps, 'discover').next).toMatch(/Turn UPnP on/);
  });

  it('no second search when the router itself says UPnP is off', async () => {
    const w = fakeWorld();
    if (w.router) w.router.menus['/ip/upnp'] = [{ enabled: 'false' }];
    const windows = slowSsdp(w, Infinity);
    const r = await runSelfTest(w.ports);
    expect(windows).toEqual([undefined]);
    expect(step(r.steps, 'discover').next).toMatch(/UPnP is off on the router/);
  });
});

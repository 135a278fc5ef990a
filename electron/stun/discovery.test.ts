import { describe, expect, it } from 'vitest';
import { natTypeTerms, verdictFromBehaviour } from '../../shared/nat-type';
import type { Timings } from './channel';
import { discoverNat } from './discovery';
import { StunError } from './errors';
import type { StunNet } from './ports';
import {
  FakeHost,
  FakeInternet,
  FakeNat,
  FakeStunServer,
  ManualClock,
  countingRandom,
  type FakeNatBehaviour,
  type FakeStunServerOptions,
} from './test-fakes';

const PRIMARY = { address: '198.51.100.1', port: 3478 };
const ALTERNATE = { address: '198.51.100.3', port: 3479 };
const T: Timings = { rtoMs: 50, requests: 3, lastWaitFactor: 4 };

interface World {
  internet: FakeInternet;
  server: FakeStunServer;
  clock: ManualClock;
  host: FakeHost;
  nat?: FakeNat;
}

function world(nat: FakeNatBehaviour | null, server: Partial<FakeStunServerOptions> = {}): World {
  const internet = new FakeInternet();
  const clock = new ManualClock();
  const s = new FakeStunServer(internet, { primary: PRIMARY, alternate: ALTERNATE, ...server });
  if (nat) {
    const n = new FakeNat(internet, '203.0.113.5', nat);
    return { internet, server: s, clock, host: n.host, nat: n };
  }
  const host = new FakeHost('203.0.113.77', (d, f, t) => internet.send(d, f, t));
  internet.attach(host.address, (d, f, t) => host.deliver(d, f, t.port));
  return { internet, server: s, clock, host };
}

const discover = (w: World, net: StunNet = w.host) =>
  w.clock.settle(
    discoverNat(
      { net, timers: w.clock, randomBytes: countingRandom() },
      { host: PRIMARY.address, port: PRIMARY.port, timings: T },
    ),
  );

describe('discoverNat (RFC 5780 §4.3–4.5) against simulated NATs', () => {
  it('Linux masquerade (EIM, port preserving, APDF): Moderate / Type 2 / Type B, no hairpinning', async () => {
    const w = world({ mapping: 'endpoint-independent', filtering: 'address-and-port-dependent', ports: 'preserving' });
    const m = await discover(w);
    expect(m).toMatchObject({
      rfc5780: true,
      otherAddress: '198.51.100.3:3479',
      publicAddress: '203.0.113.5:50000',
      mapping: 'endpoint-independent',
      filtering: 'address-and-port-dependent',
      hairpinning: 'not-supported',
      portAllocation: 'preserving',
      notMeasured: [],
    });
    expect(natTypeTerms(verdictFromBehaviour(m))).toEqual({
      xbox: 'Moderate',
      playstation: 'Type 2',
      switch: 'Type B',
    });
    expect(m.evidence.join('\n')).toMatch(/filtering test II \(change IP and port\): no answer/);
    expect(w.host.sockets.size).toBe(0);
  });

  it('runs the filtering tests from a fresh local port, never from the one that contacted the other address', async () => {
    const w = world({ mapping: 'endpoint-independent', filtering: 'address-dependent', ports: 'preserving' });
    await discover(w);
    const mappingPort = w.server.requests.find((r) => r.to.address === ALTERNATE.address)?.from.port;
    const filteringPorts = new Set(w.server.requests.filter((r) => r.change !== '').map((r) => r.from.port));
    expect(mappingPort).toBeDefined();
    expect([...filteringPorts]).toHaveLength(1);
    expect(filteringPorts.has(mappingPort ?? 0)).toBe(false);
  });

  it('tells the three filtering behaviours apart', async () => {
    const eif = await discover(world({ mapping: 'endpoint-independent', filtering: 'endpoint-independent' }));
    const adf = await discover(world({ mapping: 'endpoint-independent', filtering: 'address-dependent' }));
    expect([eif.filtering, adf.filtering]).toEqual(['endpoint-independent', 'address-dependent']);
    expect(natTypeTerms(verdictFromBehaviour(eif))).toEqual({ xbox: 'Open', playstation: 'Type 2', switch: 'Type A' });
    expect(natTypeTerms(verdictFromBehaviour(adf)).switch).toBe('Type A');
  });

  it('address-dependent mapping with random ports (masquerade fully-random): Strict / Type 3 / Type D', async () => {
    const m = await discover(
      world({ mapping: 'address-dependent', filtering: 'address-and-port-dependent', ports: 'random' }),
    );
    expect(m).toMatchObject({ mapping: 'address-dependent', portAllocation: 'random' });
    expect(natTypeTerms(verdictFromBehaviour(m))).toEqual({ xbox: 'Strict', playstation: 'Type 3', switch: 'Type D' });
  });

  it('address-and-port-dependent mapping with sequential ports: Switch Type C', async () => {
    const m = await discover(world({ mapping: 'address-and-port-dependent', filtering: 'address-and-port-dependent' }));
    expect(m).toMatchObject({ mapping: 'address-and-port-dependent', portAllocation: 'sequential' });
    expect(natTypeTerms(verdictFromBehaviour(m)).switch).toBe('Type C');
  });

  it('sees hairpinning when the NAT loops traffic to its public address back', async () => {
    const m = await discover(
      // The looped-back packet still passes the NAT's filter, so an open filter lets it through.
      world({ mapping: 'endpoint-independent', filtering: 'endpoint-independent', hairpinning: true }),
    );
    expect(m.hairpinning).toBe('supported');
  });

  it('without a NAT: no-nat, filtering of the path measured, PlayStation Type 1', async () => {
    const m = await discover(world(null));
    expect(m).toMatchObject({ mapping: 'no-nat', filtering: 'endpoint-independent', hairpinning: 'not-measured' });
    expect(natTypeTerms(verdictFromBehaviour(m))).toEqual({ xbox: 'Open', playstation: 'Type 1', switch: 'Type A' });
  });

  it('with a server without OTHER-ADDRESS: the public address, and why mapping and filtering could not be measured', async () => {
    const w = world(
      { mapping: 'endpoint-independent', filtering: 'address-and-port-dependent' },
      { hideOtherAddress: true },
    );
    const m = await discover(w);
    expect(m).toMatchObject({
      rfc5780: false,
      publicAddress: '203.0.113.5:61000',
      mapping: 'not-measured',
      filtering: 'not-measured',
    });
    expect(m.notMeasured.map((n) => n.aspect)).toEqual(['mapping', 'filtering']);
    expect(m.notMeasured[0]?.why).toMatch(/no OTHER-ADDRESS: it does not implement RFC 5780/);
    expect(natTypeTerms(verdictFromBehaviour(m))).toEqual({
      xbox: 'not measured',
      playstation: 'not measured',
      switch: 'not measured',
    });
  });

  it('does not read a server that ignores CHANGE-REQUEST as endpoint-independent filtering', async () => {
    const m = await discover(
      world(
        { mapping: 'endpoint-independent', filtering: 'address-and-port-dependent' },
        { onChangeRequest: 'ignore' },
      ),
    );
    expect(m.mapping).toBe('endpoint-independent');
    expect(m.filtering).toBe('not-measured');
    expect(m.notMeasured[0]?.why).toMatch(
      /answered from 198\.51\.100\.1:3478, not from the other address and port.*ignores CHANGE-REQUEST/,
    );
    expect(natTypeTerms(verdictFromBehaviour(m))).toEqual({
      xbox: 'Open or Moderate',
      playstation: 'Type 2',
      switch: 'Type A or B',
    });
  });

  it('reports a 420 to CHANGE-REQUEST as not measured', async () => {
    const m = await discover(
      world({ mapping: 'endpoint-independent', filtering: 'endpoint-independent' }, { onChangeRequest: 'reject' }),
    );
    expect(m.filtering).toBe('not-measured');
    expect(m.notMeasured.some((n) => /420 Unknown Attribute/.test(n.why))).toBe(true);
  });

  it('throws StunError timeout, with what to do, when the server does not answer; no socket stays open', async () => {
    const w = world({ mapping: 'endpoint-independent', filtering: 'endpoint-independent', dropInbound: true });
    const err = await discover(w).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StunError);
    expect(err).toMatchObject({ code: 'timeout' });
    expect((err as Error).message).toMatch(/did not answer.*choose another STUN server/);
    expect(w.host.sockets.size).toBe(0);
  });
});

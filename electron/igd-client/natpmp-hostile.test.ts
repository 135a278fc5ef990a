/**
 * Issue 18: a NAT-PMP answer is checked against the request it answers (RFC 6886 §3.3/§3.4) and the
 * gateway's epoch is watched (§3.6), against the hostile responder of testing/hostile-natpmp.ts over
 * real UDP on loopback.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { NatPmpError } from './errors';
import { NatPmpClient } from './natpmp';
import { EpochWatch } from './natpmp-checks';
import type { FakeUdp } from './test-fakes';
import { startHostileNatPmp, type HostileNatPmpMode } from './testing/hostile-natpmp';

const servers: FakeUdp[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function client(mode: HostileNatPmpMode, now?: () => number): Promise<NatPmpClient> {
  const s = await startHostileNatPmp(mode);
  servers.push(s);
  return new NatPmpClient({ gateway: '127.0.0.1', port: s.port, tries: 2, initialTimeoutMs: 200, now });
}

const request = { protocol: 'tcp' as const, internalPort: 5000, suggestedExternalPort: 5000, lifetime: 600 };
const failure = (p: Promise<unknown>): Promise<Error> =>
  p.then(
    () => new Error('did not fail'),
    (e: Error) => e,
  );

describe('NAT-PMP answers checked against the request', () => {
  it.each([
    ['wrong-internal-port', /answered for internal port 5001 when asked about 5000/],
    ['external-port-zero', /granted a mapping on external port 0/],
    ['lifetime-zero', /granted a mapping with a lifetime of 0 s/],
  ] as const)('%s is refused with what was wrong', async (mode, why) => {
    const err = await failure((await client(mode)).map(request));
    expect(err).toBeInstanceOf(NatPmpError);
    expect(err).toMatchObject({ code: 'bad-response' });
    expect(err.message).toMatch(why);
    expect(err.message).toMatch(/^the NAT-PMP gateway 127\.0\.0\.1 .*RFC 6886 §3\.3.*UDP 5351/);
  });

  it('a lifetime of 2^32-1 is not believed: the mapping lasts what was asked, the offer is reported', async () => {
    const m = await (await client('lifetime-max')).map(request);
    expect(m).toMatchObject({ externalPort: 5000, lifetime: 600, offeredLifetime: 4294967295 });
  });

  it('a delete answered with a live mapping is refused (§3.4: lifetime 0)', async () => {
    const err = await failure((await client('delete-kept')).unmap({ protocol: 'tcp', internalPort: 5000 }));
    expect(err).toMatchObject({
      code: 'bad-response',
      message: expect.stringMatching(/answered a delete with a lifetime of 7200 s/),
    });
  });

  it('undecodable datagrams and answers to other opcodes are ignored; the real answer counts', async () => {
    const m = await (await client('garbage-first')).map(request);
    expect(m).toMatchObject({ internalPort: 5000, externalPort: 5000, lifetime: 600, reset: null });
  });
});

describe('the gateway’s epoch (RFC 6886 §3.6)', () => {
  it('an epoch going back means the gateway restarted: reported on the answer that shows it', async () => {
    let t = 0;
    const c = await client('epoch-regress', () => t);
    const first = await c.map(request);
    expect(first.reset).toBeNull();
    t += 10_000;
    const second = await c.map(request);
    expect(second.reset).toEqual({ previousEpoch: 50_000, expectedAtLeast: 50_006, epoch: 0 });
  });

  it('time passing with the epoch is no reset; 2 s of slack below 7/8 of the local time', () => {
    let now = 0;
    const w = new EpochWatch(() => now);
    expect(w.observe(1000)).toBeNull();
    now += 8000; // expected 1000 + 7 = 1007: 1005 is within the 2 s slack
    expect(w.observe(1005)).toBeNull();
    now += 8000; // expected 1005 + 7 = 1012
    expect(w.observe(1012)).toBeNull();
    now += 1000; // expected 1012 + 0: an epoch of 3 is a restart
    expect(w.observe(3)).toEqual({ previousEpoch: 1012, expectedAtLeast: 1010, epoch: 3 });
  });
});

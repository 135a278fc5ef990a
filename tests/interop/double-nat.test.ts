// Interop: miniupnpd whose WAN address is in 100.64/10 (CGNAT) refuses to forward (igd-lab-facts
// pitfall 1). That refusal is the double-NAT case the self-test must report as `double-nat`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLab, labUnavailableReason, type Lab } from './lab';
import { errorOf, runClient, valueOf } from './lab-client';
import type { DiscoveredGateway, DoubleNatAssessment } from '../../electron/igd-client/index';

const unavailable = labUnavailableReason();
if (unavailable) console.warn(`SKIPPED interop lab: ${unavailable}`);

describe.skipIf(unavailable !== null)('miniupnpd behind CGNAT (100.64.x WAN)', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await createLab({ wan: 'cgnat', igdV1: false });
  });
  afterAll(() => lab?.teardown());

  it('answers discovery but reports no external IP, 501 for AddPortMapping and NAT-PMP result 3', async () => {
    expect(lab.addr.rtrWan).toMatch(/^100\.64\./);
    const { results } = await runClient(lab, lab.ns.lan, [
      { op: 'discover', windowMs: 1500 },
      { op: 'open' },
      { op: 'externalIp' },
      {
        op: 'add',
        mapping: {
          externalPort: 43000,
          protocol: 'TCP',
          internalPort: 43000,
          internalClient: lab.addr.lan,
          leaseDuration: 0,
        },
      },
      { op: 'natpmpExternal' },
      { op: 'natpmpMap', protocol: 'udp', internalPort: 43001, suggestedExternalPort: 43001, lifetime: 600 },
    ]);
    expect(valueOf<DiscoveredGateway[]>(results[0])).toHaveLength(1);
    expect(valueOf(results[2])).toBe('');
    expect(errorOf(results[3])).toMatchObject({
      name: 'IgdSoapFault',
      code: 501,
      explanation: expect.stringContaining('double NAT'),
    });
    expect(errorOf(results[4])).toMatchObject({ name: 'NatPmpResultError', code: 3 });
    expect(errorOf(results[5])).toMatchObject({
      name: 'NatPmpResultError',
      code: 3,
      explanation: expect.stringContaining('double NAT'),
    });
  });

  it('probeDoubleNat turns those answers into a double-nat assessment with evidence', async () => {
    const { results } = await runClient(lab, lab.ns.lan, [
      { op: 'open', location: lab.rootDescUrl },
      { op: 'doubleNatProbe', internalClient: lab.addr.lan, testPort: 43002 },
    ]);
    const a = valueOf<DoubleNatAssessment & { igdExternalIp: string }>(results[1]);
    expect(a.suspected).toBe(true);
    expect(a.findingId).toBe('double-nat');
    expect(a.evidence.map((e) => e.source)).toEqual(['igd-external-ip', 'igd-add-mapping', 'natpmp-network-failure']);
    expect(a.igdExternalIp).toBe('');
  });
});

describe.skipIf(unavailable !== null)('miniupnpd with a public WAN', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await createLab({ wan: 'public', igdV1: true });
  });
  afterAll(() => lab?.teardown());

  it('probeDoubleNat finds no double NAT and leaves no probe mapping behind', async () => {
    const { results } = await runClient(lab, lab.ns.lan, [
      { op: 'open', location: lab.rootDescUrl },
      { op: 'doubleNatProbe', internalClient: lab.addr.lan, testPort: 43002 },
      { op: 'list' },
    ]);
    expect(valueOf<DoubleNatAssessment>(results[1])).toMatchObject({ suspected: false, evidence: [] });
    expect(valueOf<unknown[]>(results[2])).toEqual([]);
  });
});

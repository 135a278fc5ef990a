// Interop: PortPilot's IGD / NAT-PMP client against the real Debian miniupnpd in network
// namespaces (lab.ts). Run as root: npx vitest run --config vitest.interop.config.ts
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLab, labUnavailableReason, type Lab } from './lab';
import { errorOf, runClient, valueOf } from './lab-client';
import type {
  DiscoveredGateway,
  GatewayDescription,
  NatPmpMapping,
  PortMapping,
} from '../../electron/igd-client/index';

const unavailable = labUnavailableReason();
if (unavailable) console.warn(`SKIPPED interop lab: ${unavailable}`);

describe.skipIf(unavailable !== null).each([
  { igdV1: false, label: 'IGD:2 description' },
  { igdV1: true, label: 'IGD:1 description (force_igd_desc_v1)' },
])('miniupnpd with $label', ({ igdV1 }) => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await createLab({ wan: 'public', igdV1 });
  });
  afterAll(() => lab?.teardown());

  it('is discovered over multicast SSDP from the LAN host, with the right IGD version, external IP and status', async () => {
    const { results, ms } = await runClient(lab, lab.ns.lan, [
      { op: 'discover', windowMs: 1500 },
      { op: 'open' },
      { op: 'localAddress' },
      { op: 'externalIp' },
      { op: 'status' },
    ]);
    const gateways = valueOf<DiscoveredGateway[]>(results[0]);
    expect(gateways).toHaveLength(1);
    expect(gateways[0]).toMatchObject({
      location: lab.rootDescUrl,
      localAddress: lab.addr.lan,
      isRouterOs: false,
      server: expect.stringContaining('MiniUPnPd'),
    });
    const d = valueOf<GatewayDescription>(results[1]);
    expect(d.igdVersion).toBe(igdV1 ? 1 : 2);
    expect(d.service).toEqual({
      serviceType: `urn:schemas-upnp-org:service:WANIPConnection:${igdV1 ? 1 : 2}`,
      kind: 'WANIPConnection',
      version: igdV1 ? 1 : 2,
      controlUrl: `http://${lab.addr.rtrLan}:${lab.httpPort}/ctl/IPConn`,
    });
    expect(valueOf(results[2])).toBe(lab.addr.lan);
    expect(valueOf(results[3])).toBe(lab.addr.rtrWan);
    expect(valueOf(results[4])).toMatchObject({ connectionStatus: 'Connected' });
    expect(ms).toBeLessThan(8000); // the process exited by itself soon after the 1.5 s window
  });

  it('is also found by unicast M-SEARCH to the known gateway alone, the OS default route giving its address', async () => {
    const { results } = await runClient(lab, lab.ns.lan2, [
      { op: 'natpmpGateway' },
      { op: 'discover', windowMs: 800, multicast: false, unicastTo: 'default-gateway' },
    ]);
    expect(valueOf(results[0])).toBe(lab.addr.rtrLan);
    const gateways = valueOf<DiscoveredGateway[]>(results[1]);
    expect(gateways.map((g) => [g.location, g.responder.address])).toEqual([[lab.rootDescUrl, lab.addr.rtrLan]]);
    expect(gateways[0]?.searchTargets.length).toBeGreaterThanOrEqual(2);
  });

  it('adds, lists, reads and deletes a mapping, and the router installs the DNAT rule', async () => {
    const mapping = {
      externalPort: 40001,
      protocol: 'TCP' as const,
      internalPort: 40002,
      internalClient: lab.addr.lan,
      description: 'PortPilot lab',
      leaseDuration: 3600,
    };
    const add = await runClient(lab, lab.ns.lan, [
      { op: 'open', location: lab.rootDescUrl },
      { op: 'add', mapping },
      { op: 'list' },
      { op: 'specific', externalPort: 40001, protocol: 'TCP' },
    ]);
    valueOf(add.results[1]);
    expect(valueOf<PortMapping[]>(add.results[2])).toContainEqual(
      expect.objectContaining({
        externalPort: 40001,
        internalPort: 40002,
        internalClient: lab.addr.lan,
        description: 'PortPilot lab',
        protocol: 'TCP',
      }),
    );
    const entry = valueOf<PortMapping>(add.results[3]);
    expect(entry.leaseDuration).toBeGreaterThan(3500);
    expect(entry.leaseDuration).toBeLessThanOrEqual(3600);
    expect(lab.exec(lab.ns.rtr, ['nft', 'list', 'chain', 'inet', 'pp_upnp_nat', 'UPnP'])).toMatch(
      /dport 40001 dnat ip to 192\.168\.77\.10:40002/,
    );
    const del = await runClient(lab, lab.ns.lan, [
      { op: 'open', location: lab.rootDescUrl },
      { op: 'delete', externalPort: 40001, protocol: 'TCP' },
      { op: 'specific', externalPort: 40001, protocol: 'TCP' },
      { op: 'list' },
    ]);
    valueOf(del.results[1]);
    expect(valueOf(del.results[2])).toBeNull(); // 714 → null
    expect(valueOf<PortMapping[]>(del.results[3]).some((m) => m.externalPort === 40001)).toBe(false);
    expect(lab.exec(lab.ns.rtr, ['nft', 'list', 'chain', 'inet', 'pp_upnp_nat', 'UPnP'])).not.toContain('40001');
  });

  it('gets 606 for a denied port, 718 for a port held by another LAN host, 716 for external port 0', async () => {
    const held = {
      externalPort: 41000,
      protocol: 'UDP' as const,
      internalPort: 41000,
      internalClient: lab.addr.lan,
      description: 'held by lan',
    };
    valueOf(
      (
        await runClient(lab, lab.ns.lan, [
          { op: 'open', location: lab.rootDescUrl },
          { op: 'add', mapping: held },
        ])
      ).results[1],
    );
    const { results } = await runClient(lab, lab.ns.lan2, [
      { op: 'open', location: lab.rootDescUrl },
      {
        op: 'add',
        mapping: { externalPort: lab.deniedPort, protocol: 'TCP', internalPort: 5000, internalClient: lab.addr.lan2 },
      },
      {
        op: 'add',
        mapping: { externalPort: 41000, protocol: 'UDP', internalPort: 41000, internalClient: lab.addr.lan2 },
      },
      { op: 'add', mapping: { externalPort: 0, protocol: 'UDP', internalPort: 41000, internalClient: lab.addr.lan2 } },
      { op: 'delete', externalPort: 41000, protocol: 'UDP' },
    ]);
    expect(errorOf(results[1])).toMatchObject({
      name: 'IgdSoapFault',
      code: 606,
      explanation: expect.stringContaining('the router refused it (Action not authorized)'),
    });
    expect(errorOf(results[2])).toMatchObject({
      name: 'IgdSoapFault',
      code: 718,
      explanation: expect.stringContaining('another device already uses this external port'),
    });
    expect(errorOf(results[3])).toMatchObject({ name: 'IgdSoapFault', code: 716 });
    expect(errorOf(results[4])).toMatchObject({ code: 606 }); // another host's mapping (secure_mode)
  });

  it(
    igdV1
      ? 'refuses AddAnyPortMapping on WANIPConnection:1 without asking the router'
      : 'AddAnyPortMapping returns a free port next to a taken one',
    async () => {
      const mapping = {
        externalPort: 41000,
        protocol: 'UDP' as const,
        internalPort: 41001,
        internalClient: lab.addr.lan2,
        description: 'any',
      };
      const { results } = await runClient(lab, lab.ns.lan2, [
        { op: 'open', location: lab.rootDescUrl },
        { op: 'addAny', mapping },
      ]);
      if (igdV1) {
        expect(errorOf(results[1])).toMatchObject({ name: 'IgdError', code: 'unsupported' });
      } else {
        const port = valueOf<number>(results[1]);
        expect(port).not.toBe(41000); // 41000/UDP is held by lan since the previous test
        expect(port).toBeGreaterThanOrEqual(1024);
      }
    },
  );

  it('NAT-PMP via the default route: external address, map, a denied port moved elsewhere, refusal, unmap', async () => {
    const { results } = await runClient(lab, lab.ns.lan, [
      { op: 'natpmpGateway' },
      { op: 'natpmpExternal' },
      { op: 'natpmpMap', protocol: 'tcp', internalPort: 42000, suggestedExternalPort: 42000, lifetime: 600 },
      { op: 'natpmpMap', protocol: 'tcp', internalPort: 42001, suggestedExternalPort: lab.deniedPort, lifetime: 600 },
      { op: 'natpmpMap', protocol: 'udp', internalPort: 80, suggestedExternalPort: 80, lifetime: 600 },
      { op: 'natpmpUnmap', protocol: 'tcp', internalPort: 42000 },
    ]);
    expect(valueOf(results[0])).toBe(lab.addr.rtrLan);
    expect(valueOf(results[1])).toMatchObject({ address: lab.addr.rtrWan });
    expect(valueOf<NatPmpMapping>(results[2])).toMatchObject({
      internalPort: 42000,
      externalPort: 42000,
      lifetime: 600,
    });
    // miniupnpd silently grants another port when the suggested one is denied (igd-lab-facts).
    const moved = valueOf<NatPmpMapping>(results[3]);
    expect(moved.internalPort).toBe(42001);
    expect(moved.externalPort).not.toBe(lab.deniedPort);
    // Internal port 80 is below every allow rule: refused with result 2.
    expect(errorOf(results[4])).toMatchObject({ name: 'NatPmpResultError', code: 2 });
    valueOf(results[5]);
    const nat = lab.exec(lab.ns.rtr, ['nft', 'list', 'chain', 'inet', 'pp_upnp_nat', 'UPnP']);
    expect(nat).not.toMatch(/dport 42000 /);
    expect(nat).toMatch(new RegExp(`dport ${moved.externalPort} dnat ip to 192\\.168\\.77\\.10:42001`));
  });
});

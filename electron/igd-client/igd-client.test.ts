import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IgdClient, LIST_CAP, type PortMapping } from './igd-client';
import { IgdError, IgdSoapFault } from './errors';
import { descriptionXml, faultXml, responseXml, startFakeHttp, type FakeHttp, type SoapRequest } from './test-fakes';

/** A fake IGD with miniupnpd's answers (igd-lab-facts): 606 for a denied port, 718 for a port held
 *  by another client, 713 past the end, 714 for a missing entry, 725 when lease > 0 in RouterOS mode. */
function fakeIgd(version: 1 | 2, table: PortMapping[], opts: { permanentOnly?: boolean } = {}) {
  const st = `urn:schemas-upnp-org:service:WANIPConnection:${version}`;
  const ok = (s: SoapRequest, args: Record<string, string | number> = {}) => ({
    body: responseXml(s.action, st, args),
  });
  const fault = (code: number, d: string) => ({ status: 500, body: faultXml(code, d) });
  const row = (m: PortMapping) => ({
    NewRemoteHost: m.remoteHost,
    NewExternalPort: m.externalPort,
    NewProtocol: m.protocol,
    NewInternalPort: m.internalPort,
    NewInternalClient: m.internalClient,
    NewEnabled: m.enabled ? 1 : 0,
    NewPortMappingDescription: m.description,
    NewLeaseDuration: m.leaseDuration,
  });
  return (s: SoapRequest) => {
    const a = s.args;
    const find = () =>
      table.findIndex((m) => m.externalPort === Number(a['NewExternalPort']) && m.protocol === a['NewProtocol']);
    switch (s.action) {
      case 'GetExternalIPAddress':
        return ok(s, { NewExternalIPAddress: '198.51.100.2' });
      case 'GetStatusInfo':
        return ok(s, { NewConnectionStatus: 'Connected', NewLastConnectionError: 'ERROR_NONE', NewUptime: 42 });
      case 'AddPortMapping':
      case 'AddAnyPortMapping': {
        if (s.action === 'AddAnyPortMapping' && version < 2) return fault(401, 'Invalid Action');
        if (opts.permanentOnly && a['NewLeaseDuration'] !== '0') return fault(725, 'OnlyPermanentLeasesSupported');
        if (a['NewExternalPort'] === '22') return fault(606, 'Action not authorized');
        let port = Number(a['NewExternalPort']);
        const i = find();
        if (i >= 0 && table[i]?.internalClient !== a['NewInternalClient']) {
          if (s.action === 'AddPortMapping') return fault(718, 'ConflictInMappingEntry');
          port += 1;
        }
        table.push({
          remoteHost: '',
          externalPort: port,
          protocol: a['NewProtocol'] === 'UDP' ? 'UDP' : 'TCP',
          internalPort: Number(a['NewInternalPort']),
          internalClient: a['NewInternalClient'] ?? '',
          enabled: true,
          description: a['NewPortMappingDescription'] ?? '',
          leaseDuration: Number(a['NewLeaseDuration']),
        });
        return ok(s, s.action === 'AddAnyPortMapping' ? { NewReservedPort: port } : {});
      }
      case 'DeletePortMapping': {
        const i = find();
        if (i >= 0) table.splice(i, 1);
        return ok(s);
      }
      case 'GetSpecificPortMappingEntry': {
        const m = table[find()];
        return m ? ok(s, row(m)) : fault(714, 'NoSuchEntryInArray');
      }
      case 'GetGenericPortMappingEntry': {
        const m = table[Number(a['NewPortMappingIndex'])];
        return m ? ok(s, row(m)) : fault(713, 'SpecifiedArrayIndexInvalid');
      }
      default:
        return fault(401, 'Invalid Action');
    }
  };
}

const base = (p: number, client = '192.168.88.10'): PortMapping => ({
  remoteHost: '',
  externalPort: p,
  protocol: 'TCP',
  internalPort: p,
  internalClient: client,
  enabled: true,
  description: `m${p}`,
  leaseDuration: 0,
});

describe.each([1, 2] as const)('IgdClient against a fake IGD:%i', (version) => {
  let server: FakeHttp;
  let table: PortMapping[];
  let client: IgdClient;
  beforeEach(async () => {
    table = [base(1000, '192.168.88.20'), base(1001)];
    const handle = fakeIgd(version, table);
    server = await startFakeHttp(({ url, soap }) => {
      if (url === '/rootDesc.xml') return { body: descriptionXml({ version, controlUrl: '/ctl/IPConn' }) };
      return soap && url === '/ctl/IPConn' ? handle(soap) : undefined;
    });
    client = await IgdClient.fromLocation(`${server.base}/rootDesc.xml`);
  });
  afterEach(async () => server.close());

  it('reads the external IP and status', async () => {
    expect(client.serviceVersion).toBe(version);
    await expect(client.getExternalIPAddress()).resolves.toBe('198.51.100.2');
    await expect(client.getStatusInfo()).resolves.toEqual({
      connectionStatus: 'Connected',
      lastConnectionError: 'ERROR_NONE',
      uptimeSeconds: 42,
    });
  });

  it('adds, lists until 713, reads and deletes a mapping', async () => {
    await client.addPortMapping({
      externalPort: 40000,
      protocol: 'UDP',
      internalPort: 40001,
      internalClient: '192.168.88.10',
      description: 'PortPilot test',
      leaseDuration: 3600,
    });
    const list = await client.listPortMappings();
    expect(list.map((m) => m.externalPort)).toEqual([1000, 1001, 40000]);
    expect(server.requests.filter((r) => r.action === 'GetGenericPortMappingEntry')).toHaveLength(4); // 3 rows + the 713
    expect(await client.getSpecificPortMappingEntry(40000, 'UDP')).toMatchObject({
      internalPort: 40001,
      internalClient: '192.168.88.10',
      description: 'PortPilot test',
      leaseDuration: 3600,
      enabled: true,
    });
    await client.deletePortMapping(40000, 'UDP');
    await expect(client.getSpecificPortMappingEntry(40000, 'UDP')).resolves.toBeNull();
  });

  it('surfaces 606 and 718 as IgdSoapFault with their codes', async () => {
    const denied = await client
      .addPortMapping({ externalPort: 22, protocol: 'TCP', internalPort: 22, internalClient: '192.168.88.10' })
      .catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(IgdSoapFault);
    expect(denied).toMatchObject({ code: 606 });
    await expect(
      client.addPortMapping({
        externalPort: 1000,
        protocol: 'TCP',
        internalPort: 1000,
        internalClient: '192.168.88.10',
      }),
    ).rejects.toMatchObject({ code: 718 });
  });

  it(
    version === 2
      ? 'AddAnyPortMapping returns the reserved port'
      : 'AddAnyPortMapping fails clearly on v1 without a request',
    async () => {
      const req = { externalPort: 1000, protocol: 'TCP' as const, internalPort: 1000, internalClient: '192.168.88.10' };
      if (version === 2) {
        await expect(client.addAnyPortMapping(req)).resolves.toBe(1001);
      } else {
        const err = await client.addAnyPortMapping(req).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(IgdError);
        expect(err).toMatchObject({ code: 'unsupported' });
        expect(server.requests.some((r) => r.action === 'AddAnyPortMapping')).toBe(false);
      }
    },
  );
});

describe('IgdClient edge cases', () => {
  let server: FakeHttp | undefined;
  afterEach(async () => server?.close());

  it('reports 725 on a permanent-only router, and stops listing at the cap on a gateway that never says 713', async () => {
    const table = [base(1)];
    const handle = fakeIgd(1, table, { permanentOnly: true });
    server = await startFakeHttp(({ soap }) => {
      if (soap?.action === 'GetGenericPortMappingEntry')
        return {
          body: responseXml(soap.action, soap.serviceType, {
            NewRemoteHost: '',
            NewExternalPort: 7,
            NewProtocol: 'TCP',
            NewInternalPort: 7,
            NewInternalClient: 'x',
            NewEnabled: 1,
            NewPortMappingDescription: '',
            NewLeaseDuration: 0,
          }),
        };
      return soap ? handle(soap) : { body: descriptionXml({ version: 1, controlUrl: '/c' }) };
    });
    const client = await IgdClient.fromLocation(`${server.base}/d`);
    const err = await client
      .addPortMapping({ externalPort: 5, protocol: 'TCP', internalPort: 5, internalClient: 'x', leaseDuration: 60 })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 725, explanation: expect.stringContaining('retry with lease 0') });
    await expect(client.listPortMappings(5)).resolves.toHaveLength(5);
    expect(LIST_CAP).toBeGreaterThanOrEqual(256);
  });
});

import dgram from 'node:dgram';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startIgd, type IgdServer } from './server';
import { FakeMappingBackend } from './testing/fake-backend';
import { XMLParser } from 'fast-xml-parser';
import { WANIP1, WANIP2, addArgs, soapCall } from './testing/soap-client';

let backend: FakeMappingBackend;
let igd: IgdServer;
let control: string;
const logs: string[] = [];

beforeEach(async () => {
  backend = new FakeMappingBackend({ deniedPorts: [{ from: 1, to: 1023 }] });
  igd = await startIgd({
    backend,
    host: '127.0.0.1',
    httpPort: 0,
    ssdpPort: 0,
    ssdpResponseDelay: () => 0,
    log: (l) => logs.push(l),
  });
  control = new URL('/upnp/control/WANIPConnection', igd.rootDescriptionUrl).href;
});
afterEach(async () => {
  await igd.close();
});

describe('HTTP', () => {
  it('serves the root description and SCPDs as text/xml', async () => {
    const res = await fetch(igd.rootDescriptionUrl);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/xml; charset="utf-8"');
    expect(await res.text()).toContain('urn:schemas-upnp-org:device:InternetGatewayDevice:1');
    const scpd = await fetch(new URL('/scpd/WANIPConnection.xml', igd.rootDescriptionUrl));
    expect(await scpd.text()).toContain('<name>AddPortMapping</name>');
    backend.config.igdVersion = 2;
    expect(await (await fetch(igd.rootDescriptionUrl)).text()).toContain(
      'urn:schemas-upnp-org:service:WANIPConnection:2',
    );
  });
  it('answers 404 for unknown paths, 405 for wrong methods, 413 for oversized bodies', async () => {
    expect((await fetch(new URL('/nope', igd.rootDescriptionUrl))).status).toBe(404);
    expect((await fetch(igd.rootDescriptionUrl, { method: 'POST', body: 'x' })).status).toBe(405);
    expect((await fetch(control)).status).toBe(405);
    const big = await fetch(control, {
      method: 'POST',
      body: 'x'.repeat(100_000),
      headers: { SOAPAction: `"${WANIP1}#GetStatusInfo"` },
    });
    expect(big.status).toBe(413);
  });
  it('drops connections while UPnP is disabled, like a router with the service off', async () => {
    backend.config.upnpEnabled = false;
    await expect(fetch(igd.rootDescriptionUrl)).rejects.toThrow();
  });
});

describe('SOAP over HTTP', () => {
  it('runs the IGD:1 actions and reports the TCP peer as the client', async () => {
    expect((await soapCall(control, WANIP1, 'GetExternalIPAddress')).out).toEqual({
      NewExternalIPAddress: '198.51.100.7',
    });
    expect((await soapCall(control, WANIP1, 'GetStatusInfo')).out.NewConnectionStatus).toBe('Connected');
    expect((await soapCall(control, WANIP1, 'GetConnectionTypeInfo')).out.NewConnectionType).toBe('IP_Routed');
    const added = await soapCall(control, WANIP1, 'AddPortMapping', addArgs({ NewExternalPort: 5000 }));
    expect(added.status).toBe(200);
    expect(added.contentType).toBe('text/xml; charset="utf-8"');
    const specific = await soapCall(control, WANIP1, 'GetSpecificPortMappingEntry', {
      NewRemoteHost: '',
      NewExternalPort: 5000,
      NewProtocol: 'TCP',
    });
    expect(specific.out).toMatchObject({
      NewInternalClient: '127.0.0.1',
      NewInternalPort: '40000',
      NewLeaseDuration: '0',
    });
    const generic = await soapCall(control, WANIP1, 'GetGenericPortMappingEntry', { NewPortMappingIndex: 1 });
    expect(generic.out).toMatchObject({ NewExternalPort: '5000', NewProtocol: 'TCP' });
    expect(
      (
        await soapCall(control, WANIP1, 'DeletePortMapping', {
          NewRemoteHost: '',
          NewExternalPort: 5000,
          NewProtocol: 'TCP',
        })
      ).status,
    ).toBe(200);
    expect(backend.list('upnp')).toEqual([]);
  });

  const errorCases: [number, string, Record<string, string | number>][] = [
    [401, 'Frobnicate', {}],
    [402, 'AddPortMapping', addArgs({ NewProtocol: 'ICMP' })],
    [606, 'AddPortMapping', addArgs({ NewExternalPort: 80 })],
    [606, 'ForceTermination', {}],
    [713, 'GetGenericPortMappingEntry', { NewPortMappingIndex: 5 }],
    [714, 'GetSpecificPortMappingEntry', { NewRemoteHost: '', NewExternalPort: 5999, NewProtocol: 'UDP' }],
    [716, 'AddPortMapping', addArgs({ NewExternalPort: 0 })],
    [725, 'AddPortMapping', addArgs({ NewLeaseDuration: 1800 })],
  ];
  it.each(errorCases)('faults with %i on %s as HTTP 500 + UPnPError', async (code, action, args) => {
    const res = await soapCall(control, WANIP1, action, args);
    expect(res.status).toBe(500);
    expect(res.fault?.code).toBe(code);
  });
  it('faults with 718 for a port held by another host and 501 without a WAN address', async () => {
    backend.add({ ...mapping(6000), internalAddress: '192.168.88.20', clientAddress: '192.168.88.20' });
    expect((await soapCall(control, WANIP1, 'AddPortMapping', addArgs({ NewExternalPort: 6000 }))).fault?.code).toBe(
      718,
    );
    expect(
      (
        await soapCall(control, WANIP1, 'DeletePortMapping', {
          NewRemoteHost: '',
          NewExternalPort: 6000,
          NewProtocol: 'TCP',
        })
      ).fault?.code,
    ).toBe(606);
    backend.config.externalAddress = null;
    expect((await soapCall(control, WANIP1, 'AddPortMapping', addArgs())).fault?.code).toBe(501);
  });
  it('faults with 728 when the table is full', async () => {
    backend.config.maxMappings = 0;
    expect((await soapCall(control, WANIP1, 'AddPortMapping', addArgs())).fault?.code).toBe(728);
  });
  it('serves WANCommonInterfaceConfig at its own control URL', async () => {
    const url = new URL('/upnp/control/WANCommonInterfaceConfig', igd.rootDescriptionUrl).href;
    const res = await soapCall(url, 'urn:schemas-upnp-org:service:WANCommonInterfaceConfig:1', 'GetTotalBytesSent');
    expect(res.out).toEqual({ NewTotalBytesSent: '0' });
  });
});

describe('SOAP over HTTP, IGD:2', () => {
  const range = (over: Record<string, number | string> = {}) => ({
    NewStartPort: 1024,
    NewEndPort: 65535,
    NewProtocol: 'TCP',
    NewManage: 1,
    NewNumberOfPorts: 0,
    ...over,
  });
  it('runs AddAnyPortMapping, GetListOfPortMappings, DeletePortMappingRange and ForceTermination', async () => {
    backend.config.igdVersion = 2;
    backend.config.allowDisableExternal = true;
    backend.add({ ...mapping(9000), internalAddress: '192.168.88.20', clientAddress: '192.168.88.20' });
    const any = await soapCall(control, WANIP2, 'AddAnyPortMapping', addArgs({ NewExternalPort: 9000 }));
    expect(any.status).toBe(200);
    const reserved = Number(any.out.NewReservedPort);
    expect(reserved).toBeGreaterThan(0);
    expect(reserved).not.toBe(9000);
    const list = await soapCall(control, WANIP2, 'GetListOfPortMappings', range());
    const entries = new XMLParser({
      removeNSPrefix: true,
      parseTagValue: false,
      isArray: (n) => n === 'PortMappingEntry',
    }).parse(list.out.NewPortListing ?? '').PortMappingList.PortMappingEntry as { NewExternalPort: string }[];
    expect(entries.map((e) => Number(e.NewExternalPort)).sort()).toEqual([9000, reserved].sort());
    expect(
      (await soapCall(control, WANIP2, 'GetListOfPortMappings', range({ NewStartPort: 2000, NewEndPort: 1000 }))).fault
        ?.code,
    ).toBe(733);
    expect((await soapCall(control, WANIP2, 'DeletePortMappingRange', range({ NewManage: 0 }))).status).toBe(200);
    expect(backend.list('upnp').map((e) => e.externalPort)).toEqual([9000]);
    expect((await soapCall(control, WANIP2, 'DeletePortMappingRange', range({ NewManage: 0 }))).fault?.code).toBe(730);
    expect((await soapCall(control, WANIP2, 'ForceTermination')).status).toBe(200);
    expect((await soapCall(control, WANIP2, 'GetStatusInfo')).out.NewConnectionStatus).toBe('Disconnected');
  });
});

function mapping(port: number) {
  return {
    source: 'upnp' as const,
    protocol: 'tcp' as const,
    externalPort: port,
    internalAddress: '127.0.0.1',
    internalPort: port,
    description: 'x',
    leaseSeconds: 0,
    remoteHost: '',
    enabled: true,
    clientAddress: '127.0.0.1',
    allowAlternativePort: false,
  };
}

function mSearch(port: number, st: string, waitMs = 300): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket('udp4');
    const replies: string[] = [];
    socket.on('message', (m) => replies.push(m.toString()));
    socket.on('error', reject);
    socket.bind(0, '127.0.0.1', () => {
      const msg = `M-SEARCH * HTTP/1.1\r\nHOST: 127.0.0.1:${port}\r\nMAN: "ssdp:discover"\r\nST: ${st}\r\n\r\n`;
      socket.send(msg, port, '127.0.0.1');
      setTimeout(() => {
        socket.close();
        resolve(replies);
      }, waitMs);
    });
  });
}

describe('SSDP responder', () => {
  it('answers a unicast M-SEARCH for the IGD with LOCATION, USN, SERVER and EXT', async () => {
    const replies = await mSearch(igd.ssdpPort as number, 'urn:schemas-upnp-org:device:InternetGatewayDevice:1');
    expect(replies).toHaveLength(1);
    const reply = replies[0] as string;
    expect(reply).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(reply).toContain(`LOCATION: ${igd.rootDescriptionUrl}\r\n`);
    expect(reply).toMatch(/\r\nUSN: uuid:[0-9a-f-]+::urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\n/);
    expect(reply).toMatch(/\r\nSERVER: RouterOS\/[\d.]+ UPnP\/1\.0 MikroTik UPnP\/1\.0\r\n/);
    expect(reply).toContain('\r\nEXT:\r\n');
  });
  it('answers ssdp:all with every target and stays silent for foreign types or when disabled', async () => {
    expect(await mSearch(igd.ssdpPort as number, 'ssdp:all')).toHaveLength(9);
    expect(await mSearch(igd.ssdpPort as number, 'urn:schemas-upnp-org:device:MediaServer:1')).toEqual([]);
    backend.config.upnpEnabled = false;
    expect(await mSearch(igd.ssdpPort as number, 'upnp:rootdevice')).toEqual([]);
  });
});

describe('startIgd options', () => {
  it('runs without SSDP when ssdpPort is null and fails cleanly on a taken port', async () => {
    const other = await startIgd({ backend, host: '127.0.0.1', httpPort: 0, ssdpPort: null });
    expect(other.ssdpPort).toBeNull();
    await expect(startIgd({ backend, host: '127.0.0.1', httpPort: other.httpPort, ssdpPort: null })).rejects.toThrow(
      /EADDRINUSE/,
    );
    await other.close();
  });
  it('skips multicast on loopback and says so', async () => {
    const lines: string[] = [];
    const other = await startIgd({
      backend,
      host: '127.0.0.1',
      httpPort: 0,
      ssdpPort: 0,
      multicast: true,
      log: (l) => lines.push(l),
    });
    expect(lines.some((l) => l.includes('multicast skipped'))).toBe(true);
    await other.close();
  });
});

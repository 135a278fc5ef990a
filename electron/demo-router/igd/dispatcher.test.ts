import { beforeEach, describe, expect, it } from 'vitest';
import { XMLParser } from 'fast-xml-parser';
import { dispatch } from './dispatcher';
import { IgdSoapFault } from './errors';
import { SERVICES } from './services';
import { FakeMappingBackend } from './testing/fake-backend';
import { WANIP1, WANIP2, addArgs } from './testing/soap-client';

let backend: FakeMappingBackend;
beforeEach(() => {
  backend = new FakeMappingBackend({ deniedPorts: [{ from: 1, to: 1023 }] });
});

function call(action: string, args: Record<string, string | number> = {}, client = '127.0.0.1', type = WANIP1) {
  const strArgs = Object.fromEntries(Object.entries(args).map(([k, v]) => [k, String(v)]));
  const version = backend.igdVersion();
  return Object.fromEntries(
    dispatch({ backend, clientAddress: client }, SERVICES.WANIPConnection, version, {
      serviceType: type,
      action,
      args: strArgs,
    }).out,
  );
}

function code(action: string, args: Record<string, string | number> = {}, client = '127.0.0.1', type = WANIP1): number {
  try {
    call(action, args, client, type);
  } catch (error) {
    if (error instanceof IgdSoapFault) return error.code;
    throw error;
  }
  throw new Error(`${action} succeeded`);
}

const key = (port: number, proto = 'TCP') => ({ NewRemoteHost: '', NewExternalPort: port, NewProtocol: proto });

describe('status actions', () => {
  it('reports connection, address and type', () => {
    expect(call('GetExternalIPAddress')).toEqual({ NewExternalIPAddress: '198.51.100.7' });
    expect(call('GetStatusInfo')).toMatchObject({
      NewConnectionStatus: 'Connected',
      NewLastConnectionError: 'ERROR_NONE',
    });
    expect(call('GetConnectionTypeInfo')).toEqual({
      NewConnectionType: 'IP_Routed',
      NewPossibleConnectionTypes: 'IP_Routed',
    });
    backend.config.externalAddress = null;
    expect(call('GetExternalIPAddress')).toEqual({ NewExternalIPAddress: '' });
    expect(call('GetStatusInfo').NewConnectionStatus).toBe('Disconnected');
  });
  it('counts uptime from the service start', () => {
    let now = 1_000_000;
    backend.setClock(() => now);
    now += 42_000;
    expect(call('GetStatusInfo').NewUptime).toBe(42);
  });
});

describe('AddPortMapping and friends', () => {
  it('adds, reads back, lists behind the dummy rule, deletes', () => {
    expect(call('AddPortMapping', addArgs({ NewExternalPort: 5000, NewPortMappingDescription: 'Game' }))).toEqual({});
    expect(call('GetSpecificPortMappingEntry', key(5000))).toEqual({
      NewInternalPort: 40000,
      NewInternalClient: '127.0.0.1',
      NewEnabled: 1,
      NewPortMappingDescription: 'Game',
      NewLeaseDuration: 0,
    });
    expect(call('GetGenericPortMappingEntry', { NewPortMappingIndex: 0 })).toMatchObject({
      NewExternalPort: 0,
      NewInternalClient: '0.0.0.0',
      NewEnabled: 0,
      NewPortMappingDescription: 'Dummy inactive rule for windows to work',
    });
    expect(call('GetGenericPortMappingEntry', { NewPortMappingIndex: 1 })).toMatchObject({
      NewExternalPort: 5000,
      NewProtocol: 'TCP',
    });
    expect(code('GetGenericPortMappingEntry', { NewPortMappingIndex: 2 })).toBe(713);
    expect(call('DeletePortMapping', key(5000))).toEqual({});
    expect(code('GetSpecificPortMappingEntry', key(5000))).toBe(714);
  });
  it('starts at index 0 without the dummy rule', () => {
    backend.config.showDummyRule = false;
    expect(code('GetGenericPortMappingEntry', { NewPortMappingIndex: 0 })).toBe(713);
    call('AddPortMapping', addArgs());
    expect(call('GetGenericPortMappingEntry', { NewPortMappingIndex: 0 }).NewExternalPort).toBe(40000);
  });
  it('maps each refusal and bad argument to its UPnP code', () => {
    expect(code('AddPortMapping', addArgs({ NewLeaseDuration: 3600 }))).toBe(725);
    expect(code('AddPortMapping', addArgs({ NewExternalPort: 80 }))).toBe(606);
    expect(code('AddPortMapping', addArgs({ NewExternalPort: 0 }))).toBe(716);
    expect(code('AddPortMapping', addArgs(), '10.9.9.9')).toBe(606);
    expect(code('AddPortMapping', addArgs({ NewProtocol: 'SCTP' }))).toBe(402);
    expect(code('AddPortMapping', addArgs({ NewExternalPort: 70000 }))).toBe(402);
    expect(code('AddPortMapping', addArgs({ NewInternalClient: 'pc.lan' }))).toBe(402);
    const missing = addArgs();
    delete missing.NewLeaseDuration;
    expect(code('AddPortMapping', missing)).toBe(402);
    expect(code('DeletePortMapping', key(5999))).toBe(714);
    expect(code('Frobnicate')).toBe(401);
  });
  it('refuses another host’s port (718) and its deletion (606)', () => {
    call('AddPortMapping', addArgs({ NewExternalPort: 6000, NewInternalClient: '127.0.0.5' }), '127.0.0.5');
    expect(code('AddPortMapping', addArgs({ NewExternalPort: 6000 }))).toBe(718);
    expect(code('DeletePortMapping', key(6000))).toBe(606);
  });
  it('gives 728 when the table is full and 501 when the WAN is missing or the service is off', () => {
    backend.config.maxMappings = 0;
    expect(code('AddPortMapping', addArgs())).toBe(728);
    backend.config.maxMappings = 10;
    backend.config.externalAddress = null;
    expect(code('AddPortMapping', addArgs())).toBe(501);
    backend.config.externalAddress = '198.51.100.7';
    backend.config.upnpEnabled = false;
    expect(code('AddPortMapping', addArgs())).toBe(501);
  });
  it('honours leases in the seed profile', () => {
    backend.config.profile = 'seed';
    call('AddPortMapping', addArgs({ NewLeaseDuration: 3600 }));
    expect(call('GetSpecificPortMappingEntry', key(40000)).NewLeaseDuration).toBe(3600);
  });
});

describe('ForceTermination', () => {
  it('is 606 unless allow-disable-external-interface=yes, then takes the WAN down', () => {
    expect(code('ForceTermination')).toBe(606);
    expect(backend.config.externalUp).toBe(true);
    backend.config.allowDisableExternal = true;
    expect(call('ForceTermination')).toEqual({});
    expect(backend.config.externalUp).toBe(false);
    expect(call('GetStatusInfo').NewConnectionStatus).toBe('Disconnected');
    expect(code('AddPortMapping', addArgs())).toBe(501);
  });
});

describe('IGD:2 actions', () => {
  it('are Invalid Action (401) on IGD:1', () => {
    expect(code('AddAnyPortMapping', addArgs())).toBe(401);
    expect(
      code('GetListOfPortMappings', {
        NewStartPort: 0,
        NewEndPort: 65535,
        NewProtocol: 'TCP',
        NewManage: 1,
        NewNumberOfPorts: 0,
      }),
    ).toBe(401);
  });
  it('AddAnyPortMapping reserves another port when taken; IGD:1 requests still work on IGD:2', () => {
    backend.config.igdVersion = 2;
    call('AddPortMapping', addArgs({ NewExternalPort: 7000, NewInternalClient: '127.0.0.5' }), '127.0.0.5', WANIP2);
    const out = call(
      'AddAnyPortMapping',
      addArgs({ NewExternalPort: 7000, NewInternalPort: 7000 }),
      '127.0.0.1',
      WANIP2,
    );
    expect(out.NewReservedPort).not.toBe(7000);
    expect(
      call('GetSpecificPortMappingEntry', key(out.NewReservedPort as number), '127.0.0.1', WANIP1).NewInternalPort,
    ).toBe(7000);
    expect(code('AddAnyPortMapping', addArgs(), '127.0.0.1', WANIP1)).toBe(401);
  });
  it('GetListOfPortMappings returns a PortMappingList (CDATA); 730 when empty, 733 when inverted', () => {
    backend.config.igdVersion = 2;
    const range = { NewStartPort: 1000, NewEndPort: 9000, NewProtocol: 'UDP', NewManage: 1, NewNumberOfPorts: 0 };
    expect(code('GetListOfPortMappings', range, '127.0.0.1', WANIP2)).toBe(730);
    expect(code('GetListOfPortMappings', { ...range, NewStartPort: 9001 }, '127.0.0.1', WANIP2)).toBe(733);
    call(
      'AddPortMapping',
      addArgs({ NewExternalPort: 3074, NewProtocol: 'UDP', NewPortMappingDescription: 'Xbox <live>' }),
      '127.0.0.1',
      WANIP2,
    );
    const listing = (call('GetListOfPortMappings', range, '127.0.0.1', WANIP2).NewPortListing as { cdata: string })
      .cdata;
    const doc = new XMLParser({ removeNSPrefix: true, parseTagValue: false }).parse(listing);
    expect(doc.PortMappingList.PortMappingEntry).toMatchObject({
      NewExternalPort: '3074',
      NewProtocol: 'UDP',
      NewDescription: 'Xbox <live>',
    });
    expect(code('GetListOfPortMappings', { ...range, NewManage: 0 }, '127.0.0.9', WANIP2)).toBe(730);
  });
  it('DeletePortMappingRange removes the caller’s mappings in the range', () => {
    backend.config.igdVersion = 2;
    for (const p of [2001, 2002, 2003]) call('AddPortMapping', addArgs({ NewExternalPort: p }), '127.0.0.1', WANIP2);
    call(
      'DeletePortMappingRange',
      { NewStartPort: 2001, NewEndPort: 2002, NewProtocol: 'TCP', NewManage: 0 },
      '127.0.0.1',
      WANIP2,
    );
    expect(backend.list('upnp').map((e) => e.externalPort)).toEqual([2003]);
    expect(
      code(
        'DeletePortMappingRange',
        { NewStartPort: 2001, NewEndPort: 2002, NewProtocol: 'TCP', NewManage: 0 },
        '127.0.0.1',
        WANIP2,
      ),
    ).toBe(730);
  });
});

describe('service type checks', () => {
  it('refuses a SOAPAction naming another service (401)', () => {
    expect(code('GetStatusInfo', {}, '127.0.0.1', 'urn:schemas-upnp-org:service:WANPPPConnection:1')).toBe(401);
    expect(code('GetStatusInfo', {}, '127.0.0.1', WANIP2)).toBe(401);
  });
  it('serves WANCommonInterfaceConfig', () => {
    const out = dispatch({ backend, clientAddress: '127.0.0.1' }, SERVICES.WANCommonInterfaceConfig, 1, {
      serviceType: 'urn:schemas-upnp-org:service:WANCommonInterfaceConfig:1',
      action: 'GetCommonLinkProperties',
      args: {},
    });
    expect(Object.fromEntries(out.out)).toMatchObject({ NewWANAccessType: 'Ethernet', NewPhysicalLinkStatus: 'Up' });
  });
});

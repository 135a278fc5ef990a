import { describe, expect, it } from 'vitest';
import { XMLParser } from 'fast-xml-parser';
import { buildRootDescription, buildScpd, deviceUdn, DEFAULT_IDENTITY } from './description';
import { SERVICES } from './services';

const parser = new XMLParser({
  parseTagValue: false,
  ignoreAttributes: true,
  isArray: (name) => ['device', 'service', 'action', 'stateVariable', 'argument'].includes(name),
});
type Dev = {
  deviceType: string;
  UDN: string;
  serviceList?: { service: { serviceType: string; controlURL: string; SCPDURL: string }[] };
  deviceList?: { device: Dev[] };
};

function tree(version: 1 | 2): Dev {
  return parser.parse(buildRootDescription(version)).root.device[0] as Dev;
}

describe('root description', () => {
  it.each([1, 2] as const)('IGD:%i nests WANDevice → WANConnectionDevice → WANIPConnection', (v) => {
    const root = tree(v);
    expect(root.deviceType).toBe(`urn:schemas-upnp-org:device:InternetGatewayDevice:${v}`);
    const wan = root.deviceList?.device[0] as Dev;
    expect(wan.deviceType).toBe(`urn:schemas-upnp-org:device:WANDevice:${v}`);
    expect(wan.serviceList?.service[0]?.serviceType).toBe('urn:schemas-upnp-org:service:WANCommonInterfaceConfig:1');
    const conn = wan.deviceList?.device[0] as Dev;
    expect(conn.deviceType).toBe(`urn:schemas-upnp-org:device:WANConnectionDevice:${v}`);
    const ip = conn.serviceList?.service[0];
    expect(ip?.serviceType).toBe(`urn:schemas-upnp-org:service:WANIPConnection:${v}`);
    expect(ip?.controlURL).toBe(SERVICES.WANIPConnection.controlPath);
    expect(new Set([root.UDN, wan.UDN, conn.UDN]).size).toBe(3);
    expect(root.UDN).toBe(deviceUdn(DEFAULT_IDENTITY, 0));
  });
  it('looks like a MikroTik and escapes the identity', () => {
    const xml = buildRootDescription(1, { ...DEFAULT_IDENTITY, friendlyName: 'Home <&> Router' });
    expect(xml).toContain('<manufacturer>MikroTik</manufacturer>');
    expect(xml).toContain('<modelName>RouterOS</modelName>');
    expect(xml).toContain('<friendlyName>Home &lt;&amp;&gt; Router</friendlyName>');
  });
});

describe('SCPD', () => {
  const actions = (v: 1 | 2) =>
    (parser.parse(buildScpd(SERVICES.WANIPConnection, v)).scpd.actionList.action as { name: string }[]).map(
      (a) => a.name,
    );
  it('lists the v2 actions only for WANIPConnection:2', () => {
    expect(actions(1)).toContain('AddPortMapping');
    expect(actions(1)).not.toContain('AddAnyPortMapping');
    expect(actions(2)).toEqual(
      expect.arrayContaining(['AddAnyPortMapping', 'GetListOfPortMappings', 'DeletePortMappingRange']),
    );
  });
  it('declares every related state variable it references', () => {
    for (const v of [1, 2] as const) {
      const scpd = parser.parse(buildScpd(SERVICES.WANIPConnection, v)).scpd;
      const vars = new Set((scpd.serviceStateTable.stateVariable as { name: string }[]).map((s) => s.name));
      for (const a of scpd.actionList.action as { argumentList?: { argument: { relatedStateVariable: string }[] } }[]) {
        for (const arg of a.argumentList?.argument ?? []) expect(vars).toContain(arg.relatedStateVariable);
      }
    }
  });
});

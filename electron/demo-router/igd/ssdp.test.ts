import { describe, expect, it } from 'vitest';
import { DEFAULT_IDENTITY, deviceUdn } from './description';
import { allTargets, buildNotify, buildSearchResponse, matchSearch, parseMSearch, searchDelayMs } from './ssdp';

const search = (st: string, extra = 'MX: 2\r\n', man = '"ssdp:discover"') =>
  `M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: ${man}\r\n${extra}ST: ${st}\r\n\r\n`;
const IGD1 = 'urn:schemas-upnp-org:device:InternetGatewayDevice:1';
const IGD2 = 'urn:schemas-upnp-org:device:InternetGatewayDevice:2';

describe('parseMSearch', () => {
  it('reads ST, MX and HOST case-insensitively', () => {
    expect(parseMSearch(Buffer.from(search(IGD1).replace('ST:', 'st:')))).toEqual({
      st: IGD1,
      mx: 2,
      host: '239.255.255.250:1900',
    });
  });
  it('ignores NOTIFY, responses, a wrong MAN and a missing ST', () => {
    expect(parseMSearch('NOTIFY * HTTP/1.1\r\nNT: x\r\n\r\n')).toBeUndefined();
    expect(parseMSearch('HTTP/1.1 200 OK\r\nST: x\r\n\r\n')).toBeUndefined();
    expect(parseMSearch(search(IGD1, '', 'ssdp:discover'))).toBeUndefined();
    expect(parseMSearch('M-SEARCH * HTTP/1.1\r\nMAN: "ssdp:discover"\r\n\r\n')).toBeUndefined();
  });
  it('has no MX for a unicast search', () => {
    expect(parseMSearch(search(IGD1, ''))?.mx).toBeUndefined();
  });
});

describe('matchSearch', () => {
  it('answers ssdp:all with 3 + 2·2 + 2 targets (UDA 1.1 §1.2.2)', () => {
    const targets = matchSearch('ssdp:all', 1, DEFAULT_IDENTITY);
    expect(targets).toHaveLength(9);
    expect(targets).toEqual(allTargets(1, DEFAULT_IDENTITY));
  });
  it('answers root device, UDN, device and service types', () => {
    const root = deviceUdn(DEFAULT_IDENTITY, 0);
    expect(matchSearch('upnp:rootdevice', 1, DEFAULT_IDENTITY)).toEqual([
      { st: 'upnp:rootdevice', usn: `${root}::upnp:rootdevice` },
    ]);
    expect(matchSearch(root, 1, DEFAULT_IDENTITY)).toEqual([{ st: root, usn: root }]);
    expect(matchSearch(IGD1, 1, DEFAULT_IDENTITY)).toEqual([{ st: IGD1, usn: `${root}::${IGD1}` }]);
    for (const st of [
      'urn:schemas-upnp-org:device:WANDevice:1',
      'urn:schemas-upnp-org:device:WANConnectionDevice:1',
      'urn:schemas-upnp-org:service:WANIPConnection:1',
      'urn:schemas-upnp-org:service:WANCommonInterfaceConfig:1',
    ]) {
      expect(matchSearch(st, 1, DEFAULT_IDENTITY)).toHaveLength(1);
    }
  });
  it('answers IGD:1 searches on an IGD:2 device with the requested version, but not IGD:2 on IGD:1', () => {
    expect(matchSearch(IGD1, 2, DEFAULT_IDENTITY)[0]?.st).toBe(IGD1);
    expect(matchSearch('urn:schemas-upnp-org:service:WANIPConnection:1', 2, DEFAULT_IDENTITY)[0]?.usn).toMatch(
      /::urn:schemas-upnp-org:service:WANIPConnection:1$/,
    );
    expect(matchSearch(IGD2, 2, DEFAULT_IDENTITY)).toHaveLength(1);
    expect(matchSearch(IGD2, 1, DEFAULT_IDENTITY)).toEqual([]);
    expect(matchSearch('urn:schemas-upnp-org:service:WANPPPConnection:1', 2, DEFAULT_IDENTITY)).toEqual([]);
  });
});

describe('messages', () => {
  const advert = {
    location: 'http://127.0.0.1:2828/gateway.xml',
    maxAgeSeconds: 1800,
    server: 'RouterOS/7.18.2 UPnP/1.0 MikroTik UPnP/1.0',
  };
  it('builds a search response with the UDA headers', () => {
    const text = buildSearchResponse({ st: IGD1, usn: 'uuid:x::' + IGD1 }, advert, new Date(0));
    expect(text.startsWith('HTTP/1.1 200 OK\r\n')).toBe(true);
    expect(text).toContain('CACHE-CONTROL: max-age=1800\r\n');
    expect(text).toContain('EXT:\r\n');
    expect(text).toContain(`LOCATION: ${advert.location}\r\n`);
    expect(text).toContain(`ST: ${IGD1}\r\nUSN: uuid:x::${IGD1}\r\n\r\n`);
  });
  it('builds NOTIFY alive and byebye', () => {
    expect(buildNotify({ st: IGD1, usn: 'u' }, 'ssdp:alive', advert)).toContain(`LOCATION: ${advert.location}`);
    expect(buildNotify({ st: IGD1, usn: 'u' }, 'ssdp:byebye', advert)).not.toContain('LOCATION');
  });
  it('delays within MX, capped at 1 s, and not at all for unicast', () => {
    const group = '239.255.255.250:1900';
    expect(searchDelayMs({ st: 'x', mx: 5, host: group }, () => 0.999)).toBe(999);
    expect(searchDelayMs({ st: 'x', mx: 1, host: group }, () => 0.5)).toBe(500);
    expect(searchDelayMs({ st: 'x', mx: 0, host: group }, () => 0.5)).toBe(0);
    expect(searchDelayMs({ st: 'x', mx: undefined, host: group }, () => 0.5)).toBe(0);
    expect(searchDelayMs({ st: 'x', mx: 3, host: '127.0.0.1:1900' }, () => 0.5)).toBe(0);
  });
});

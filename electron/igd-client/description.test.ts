import { afterEach, describe, expect, it } from 'vitest';
import { fetchDescription, parseDescription } from './description';
import { IgdError } from './errors';
import { descriptionXml, startFakeHttp, type FakeHttp } from './test-fakes';

describe('parseDescription', () => {
  it('walks nested devices of an IGD:1 and resolves a relative controlURL against URLBase', () => {
    const d = parseDescription(
      descriptionXml({ version: 1, controlUrl: 'ctl/IPConn', urlBase: 'http://10.9.9.1:5000/base/' }),
      'http://10.9.9.1:80/root.xml',
    );
    expect(d.igdVersion).toBe(1);
    expect(d.service).toEqual({
      serviceType: 'urn:schemas-upnp-org:service:WANIPConnection:1',
      kind: 'WANIPConnection',
      version: 1,
      controlUrl: 'http://10.9.9.1:5000/base/ctl/IPConn',
    });
    expect(d.friendlyName).toBe('Fake & Router');
  });

  it('resolves against the description URL without URLBase, and keeps absolute controlURLs (IGD:2)', () => {
    const rel = parseDescription(
      descriptionXml({ version: 2, controlUrl: '/ctl/IPConn' }),
      'http://10.0.0.1:5000/rootDesc.xml',
    );
    expect(rel.service.controlUrl).toBe('http://10.0.0.1:5000/ctl/IPConn');
    expect(rel.service.version).toBe(2);
    expect(rel.igdVersion).toBe(2);
    const abs = parseDescription(
      descriptionXml({ version: 2, controlUrl: 'http://10.0.0.1:6000/x' }),
      'http://10.0.0.1:5000/rootDesc.xml',
    );
    expect(abs.service.controlUrl).toBe('http://10.0.0.1:6000/x');
  });

  it('falls back to WANPPPConnection:1 and marks MikroTik as RouterOS', () => {
    const d = parseDescription(
      descriptionXml({ version: 1, controlUrl: '/ppp', ppp: true, manufacturer: 'MikroTik' }),
      'http://10.0.0.1/',
    );
    expect(d.service.kind).toBe('WANPPPConnection');
    expect(d.isRouterOs).toBe(true);
  });

  it('rejects a device without WAN service, non-XML, and non-http control URLs with typed errors', () => {
    const noWan = '<root><device><deviceType>urn:schemas-upnp-org:device:MediaServer:1</deviceType></device></root>';
    expect(() => parseDescription(noWan, 'http://h/')).toThrow(expect.objectContaining({ code: 'no-wan-service' }));
    expect(() => parseDescription('<<<', 'http://h/')).toThrow(IgdError);
    expect(() =>
      parseDescription(descriptionXml({ version: 1, controlUrl: 'file:///etc/passwd' }), 'http://h/'),
    ).toThrow(/not http/);
  });

  it('refuses a controlURL or URLBase on another host than the description’s, unless it is the router’s', () => {
    const at = 'http://192.168.88.1:2828/gateway.xml';
    const foreignCtl = descriptionXml({ version: 1, controlUrl: 'http://192.168.88.66:5000/ctl' });
    const err = (() => {
      try {
        return parseDescription(foreignCtl, at);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(IgdError);
    expect(err).toMatchObject({ code: 'foreign-host' });
    expect((err as Error).message).toMatch(
      /sends its control requests \(controlURL\) to 192\.168\.88\.66:5000, another host than the one that served it/,
    );
    expect((err as Error).message).toContain('http://192.168.88.66:2828/gateway.xml');
    const foreignBase = descriptionXml({ version: 1, controlUrl: '/ctl', urlBase: 'http://203.0.113.9/' });
    expect(() => parseDescription(foreignBase, at)).toThrow(/\(URLBase\) to 203\.0\.113\.9/);
    // Case and brackets do not matter; the router's known LAN address may be named as well.
    expect(
      parseDescription(descriptionXml({ version: 2, controlUrl: 'http://[FE80::1]:5000/c' }), 'http://[fe80::1]/d.xml')
        .service.controlUrl,
    ).toBe('http://[fe80::1]:5000/c');
    expect(parseDescription(foreignCtl, at, { allowedHosts: ['192.168.88.66'] }).service.controlUrl).toBe(
      'http://192.168.88.66:5000/ctl',
    );
  });

  it('does not expand DTD entities (billion laughs stays inert)', () => {
    const xml =
      `<?xml version="1.0"?><!DOCTYPE root [<!ENTITY a "AAAAAAAAAA"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>` +
      descriptionXml({ version: 1, controlUrl: '/c' })
        .replace('<?xml version="1.0"?>', '')
        .replace('Fake &amp; Router', '&b;');
    const d = parseDescription(xml, 'http://h/');
    expect(d.friendlyName).toBe('&b;');
  });
});

describe('fetchDescription', () => {
  let server: FakeHttp | undefined;
  afterEach(async () => server?.close());

  it('fetches and parses over HTTP', async () => {
    server = await startFakeHttp(({ url }) =>
      url === '/rootDesc.xml' ? { body: descriptionXml({ version: 2, controlUrl: '/ctl/IPConn' }) } : undefined,
    );
    const d = await fetchDescription(`${server.base}/rootDesc.xml`);
    expect(d.service.controlUrl).toBe(`${server.base}/ctl/IPConn`);
  });

  it('enforces the size limit, the timeout and HTTP errors', async () => {
    server = await startFakeHttp(({ url }) => {
      if (url === '/big') return { body: 'x'.repeat(5000) };
      if (url === '/slow') return { body: '<root/>', delayMs: 2000 };
      return undefined;
    });
    await expect(fetchDescription(`${server.base}/big`, { maxBytes: 1000 })).rejects.toMatchObject({
      code: 'too-large',
    });
    await expect(fetchDescription(`${server.base}/slow`, { timeoutMs: 200 })).rejects.toMatchObject({
      code: 'timeout',
    });
    await expect(fetchDescription(`${server.base}/missing`)).rejects.toMatchObject({
      code: 'bad-response',
      message: expect.stringContaining('404'),
    });
  });
});

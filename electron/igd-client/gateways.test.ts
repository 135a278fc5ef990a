import { afterEach, describe, expect, it } from 'vitest';
import { findGateways } from './gateways';
import { descriptionXml, startFakeHttp, startFakeUdp, type FakeHttp, type FakeUdp } from './test-fakes';

describe('findGateways', () => {
  const closers: (FakeHttp | FakeUdp)[] = [];
  afterEach(async () => {
    await Promise.all(closers.splice(0).map((c) => c.close()));
  });

  it('describes every gateway, ranks the MikroTik (by description manufacturer) first and keeps a broken one with its error', async () => {
    const http = await startFakeHttp(({ url }) => {
      if (url === '/mini.xml') return { body: descriptionXml({ version: 2, controlUrl: '/ctl' }) };
      if (url === '/mt.xml')
        return { body: descriptionXml({ version: 1, controlUrl: '/upnp/control/wanip', manufacturer: 'MikroTik' }) };
      return undefined;
    });
    closers.push(http);
    const answer = (path: string) =>
      Buffer.from(
        `HTTP/1.1 200 OK\r\nST: upnp:rootdevice\r\nSERVER: Linux UPnP/1.0\r\nLOCATION: ${http.base}${path}\r\n\r\n`,
      );
    for (const path of ['/mini.xml', '/broken.xml', '/mt.xml']) closers.push(await startFakeUdp(() => answer(path)));
    const targets = closers.slice(1).map((s) => ({ address: '127.0.0.1', port: (s as FakeUdp).port }));
    const found = await findGateways({
      multicast: false,
      localAddresses: ['127.0.0.1'],
      windowMs: 400,
      unicastTargets: targets,
    });
    expect(
      found.map((g) => [
        g.gateway.location.replace(http.base, ''),
        g.isRouterOs,
        g.description?.igdVersion ?? g.error?.code,
      ]),
    ).toEqual([
      ['/mt.xml', true, 1],
      ['/mini.xml', false, 2],
      ['/broken.xml', false, 'bad-response'],
    ]);
  });
});

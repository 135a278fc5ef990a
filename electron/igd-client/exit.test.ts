import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeExternalAddressResponse } from '../natpmp/codec';
import { descriptionXml, responseXml, startFakeHttp, startFakeUdp, type FakeHttp, type FakeUdp } from './test-fakes';

describe('a script using discovery, SOAP and NAT-PMP', () => {
  let http: FakeHttp;
  let ssdp: FakeUdp;
  let natpmp: FakeUdp;
  beforeAll(async () => {
    http = await startFakeHttp(({ soap }) =>
      soap
        ? { body: responseXml(soap.action, soap.serviceType, { NewExternalIPAddress: '198.51.100.9' }) }
        : { body: descriptionXml({ version: 2, controlUrl: '/ctl' }) },
    );
    ssdp = await startFakeUdp(() =>
      Buffer.from(`HTTP/1.1 200 OK\r\nST: upnp:rootdevice\r\nLOCATION: ${http.base}/rootDesc.xml\r\n\r\n`),
    );
    natpmp = await startFakeUdp(() =>
      encodeExternalAddressResponse({ resultCode: 0, epoch: 1, externalAddress: '198.51.100.9' }),
    );
  });
  afterAll(async () => {
    await Promise.all([http.close(), ssdp.close(), natpmp.close()]);
  });

  it('exits by itself within a few seconds with no open handles', async () => {
    const fixture = fileURLToPath(new URL('./exit-fixture.ts', import.meta.url));
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', fixture, JSON.stringify({ ssdpPort: ssdp.port, natpmpPort: natpmp.port })],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const t0 = Date.now();
    const code = await new Promise<number | null>((resolve) => {
      const kill = setTimeout(() => child.kill('SIGKILL'), 8000);
      child.on('exit', (c) => {
        clearTimeout(kill);
        resolve(c);
      });
    });
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(Date.now() - t0).toBeLessThan(6000);
    expect(JSON.parse(out)).toEqual({ gateways: 1, ip: '198.51.100.9', natpmp: '198.51.100.9', active: [] });
  });
});

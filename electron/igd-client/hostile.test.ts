/**
 * Issue 18: a hostile or broken UPnP IGD on the LAN must not steer, hang or balloon PortPilot's IGD
 * client. Every attack of testing/hostile-igd.ts: a typed error that says what happened and what to
 * do, nothing sent to any other host, bounded memory and an end within the client's deadline.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchDescription } from './description';
import { IgdError, IgdHttpError, IgdSoapFault } from './errors';
import { IgdClient } from './igd-client';
import { keepAliveFetch } from './keep-alive-fetch';
import { soapCall } from './soap';
import { startHostileIgd, type HostileIgd } from './testing/hostile-igd';

const ST = 'urn:schemas-upnp-org:service:WANIPConnection:1';

/** Another host (127.0.0.2) that must never hear from the client. */
let elsewhere: { base: string; requests: string[]; close(): Promise<void> };
let igd: HostileIgd;

beforeAll(async () => {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.2', r));
  elsewhere = {
    base: `http://127.0.0.2:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
  igd = await startHostileIgd({ foreignBase: elsewhere.base, intervalMs: 50 });
});
afterAll(async () => {
  await igd.close();
  await elsewhere.close();
});

const failure = (p: Promise<unknown>): Promise<Error> =>
  p.then(
    () => new Error('did not fail'),
    (e: Error) => e,
  );

/** Peak growth of heap + ArrayBuffers while `run` runs (sampled in-process). */
async function peakGrowth<T>(run: () => Promise<T>): Promise<{ value: T; growth: number; ms: number }> {
  const used = (): number => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  const base = used();
  let peak = base;
  const started = Date.now();
  const sampler = setInterval(() => (peak = Math.max(peak, used())), 5);
  try {
    const value = await run();
    return { value, growth: Math.max(peak, used()) - base, ms: Date.now() - started };
  } finally {
    clearInterval(sampler);
  }
}

describe('a hostile IGD', () => {
  it('a controlURL or URLBase on another host is refused, and nothing goes there', async () => {
    for (const path of ['/foreign.xml', '/foreign.xml?base']) {
      const err = await failure(IgdClient.fromLocation(`${igd.base}${path}`));
      expect(err).toBeInstanceOf(IgdError);
      expect(err).toMatchObject({ code: 'foreign-host' });
      expect(err.message).toContain('127.0.0.2');
      expect(err.message).toContain('another host than the one that served it');
    }
    expect(elsewhere.requests).toEqual([]);
  });

  it('a redirect is not followed: the message says so and where the router’s description is', async () => {
    const err = await failure(fetchDescription(`${igd.base}/redirect`));
    expect(err).toMatchObject({ code: 'redirect' });
    expect(err.message).toMatch(/answered with a redirect \(HTTP 302 to http:\/\/127\.0\.0\.2:\d+\/gateway\.xml\)/);
    expect(err.message).toMatch(/deliberately does not follow/);
    expect(err.message).toContain('RouterOS: http://127.0.0.1:2828/gateway.xml');
    expect(err.message).not.toMatch(/fetch failed/);
    const soap = await failure(
      soapCall({ controlUrl: `${igd.base}/redirect`, serviceType: ST, action: 'GetStatusInfo' }),
    );
    expect(soap).toMatchObject({ code: 'redirect' });
    expect(soap.message).toMatch(/^the control URL of GetStatusInfo at .* answered with a redirect/);
    expect(elsewhere.requests).toEqual([]);
  });

  it('an endless or hugely announced body is cut at the limit, with bounded memory', async () => {
    for (const path of ['/endless', '/declared-huge']) {
      const { value: err, growth } = await peakGrowth(() => failure(fetchDescription(`${igd.base}${path}`)));
      expect(err).toMatchObject({ code: 'too-large' });
      expect(err.message).toMatch(/too large/);
      expect(growth).toBeLessThan(32 * 1024 * 1024);
    }
    const soap = await failure(soapCall({ controlUrl: `${igd.base}/endless`, serviceType: ST, action: 'X' }));
    expect(soap).toMatchObject({ code: 'too-large' });
  });

  it('a body trickling in, or no answer at all, ends at the deadline', async () => {
    for (const path of ['/trickle', '/silent']) {
      const { value: err, ms } = await peakGrowth(() =>
        failure(fetchDescription(`${igd.base}${path}`, { timeoutMs: 300 })),
      );
      expect(err).toMatchObject({ code: 'timeout' });
      expect(ms).toBeLessThan(3000);
    }
    const soap = await failure(
      soapCall({ controlUrl: `${igd.base}/trickle`, serviceType: ST, action: 'GetStatusInfo', timeoutMs: 300 }),
    );
    expect(soap).toMatchObject({ code: 'timeout' });
  });

  it('a fault whose errorCode is no UPnP code is the HTTP error it came in, not "UPnP error 1e+23"', async () => {
    for (const code of ['1e+23', '-1', '0x2d6', '7 18', '99999', '', '718.0']) {
      const err = await failure(
        soapCall({
          controlUrl: `${igd.base}/fault?code=${encodeURIComponent(code)}`,
          serviceType: ST,
          action: 'AddPortMapping',
        }),
      );
      expect(err, code).toBeInstanceOf(IgdHttpError);
      expect(err.message).toMatch(/^HTTP 500 from .*: AddPortMapping got no SOAP fault in the answer/);
      expect(err.message).not.toMatch(/UPnP error/);
    }
    const real = await failure(soapCall({ controlUrl: `${igd.base}/fault?code=718`, serviceType: ST, action: 'X' }));
    expect(real).toBeInstanceOf(IgdSoapFault);
    expect(real).toMatchObject({ code: 718 });
  });

  it('a refused connection names its cause instead of "fetch failed"', async () => {
    const closed = await startHostileIgd({ foreignBase: elsewhere.base });
    const url = `${closed.base}/gateway.xml`;
    await closed.close();
    const err = await failure(fetchDescription(url));
    expect(err).toMatchObject({ code: 'network' });
    expect(err.message).toMatch(
      /cannot reach the description at http:\/\/127\.0\.0\.1:\d+\/gateway\.xml \(ECONNREFUSED/,
    );
  });
});

describe('a hostile IGD, through the transport of the cleanup’s bulk restore (keepAliveFetch post)', () => {
  const http = keepAliveFetch({ maxSockets: 4 });
  afterAll(() => http.close());
  const call = (path: string, extra: { action?: string; timeoutMs?: number } = {}) =>
    failure(
      soapCall({
        controlUrl: `${igd.base}${path}`,
        serviceType: ST,
        action: extra.action ?? 'AddPortMapping',
        timeoutMs: extra.timeoutMs,
        outputs: false,
        transport: http.post,
      }),
    );

  it('a redirect is refused with where it pointed, and nothing goes there', async () => {
    const err = await call('/redirect');
    expect(err).toMatchObject({ code: 'redirect' });
    expect(err.message).toMatch(
      /^the control URL of AddPortMapping at .* answered with a redirect \(HTTP 302 to http:\/\/127\.0\.0\.2:\d+\/gateway\.xml\)/,
    );
    expect(elsewhere.requests).toEqual([]);
  });

  it('an endless or hugely announced body is cut at the limit, with bounded memory', async () => {
    for (const path of ['/endless', '/declared-huge']) {
      const { value: err, growth } = await peakGrowth(() => call(path));
      expect(err, path).toMatchObject({ code: 'too-large' });
      expect(growth).toBeLessThan(32 * 1024 * 1024);
    }
  });

  it('a body trickling in, or no answer at all, ends at the deadline', async () => {
    for (const path of ['/trickle', '/silent']) {
      const { value: err, ms } = await peakGrowth(() => call(path, { timeoutMs: 300 }));
      expect(err, path).toMatchObject({ code: 'timeout' });
      expect(err.message).toBe('AddPortMapping: the router did not answer within 300 ms');
      expect(ms).toBeLessThan(3000);
    }
  });

  it('faults: a real UPnP code is an IgdSoapFault, anything else the HTTP error it came in', async () => {
    const bogus = await call(`/fault?code=${encodeURIComponent('1e+23')}`);
    expect(bogus).toBeInstanceOf(IgdHttpError);
    expect(bogus.message).not.toMatch(/UPnP error/);
    const real = await call('/fault?code=606');
    expect(real).toBeInstanceOf(IgdSoapFault);
    expect(real).toMatchObject({ code: 606 });
  });

  it('a refused connection names its cause', async () => {
    const closed = await startHostileIgd({ foreignBase: elsewhere.base });
    const base = closed.base;
    await closed.close();
    const err = await failure(
      soapCall({ controlUrl: `${base}/ctl`, serviceType: ST, action: 'X', transport: http.post }),
    );
    expect(err).toMatchObject({ code: 'network' });
    expect(err.message).toMatch(/cannot reach the control URL of X at .* \(connect ECONNREFUSED/);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { IgdHttpError, IgdSoapFault, NATPMP_RESULT_EXPLANATIONS, SOAP_FAULT_EXPLANATIONS } from './errors';
import { buildSoapEnvelope, parseSoapFault, parseSoapResponse, soapCall } from './soap';
import { faultXml, responseXml, startFakeHttp, type FakeHttp } from './test-fakes';

const ST = 'urn:schemas-upnp-org:service:WANIPConnection:1';

describe('SOAP codec', () => {
  it('escapes argument values and keeps their order', () => {
    const xml = buildSoapEnvelope(ST, 'AddPortMapping', [
      ['NewExternalPort', 5000],
      ['NewPortMappingDescription', 'a<b & "c"'],
    ]);
    expect(xml).toContain(
      '<u:AddPortMapping xmlns:u="urn:schemas-upnp-org:service:WANIPConnection:1"><NewExternalPort>5000</NewExternalPort><NewPortMappingDescription>a&lt;b &amp; &quot;c&quot;</NewPortMappingDescription>',
    );
  });

  it('parses responses with decoded text and faults with their code', () => {
    expect(
      parseSoapResponse(
        responseXml('GetExternalIPAddress', ST, { NewExternalIPAddress: '198.51.100.7' }),
        'GetExternalIPAddress',
      ),
    ).toEqual({ NewExternalIPAddress: '198.51.100.7' });
    expect(parseSoapResponse(responseXml('X', ST, { NewD: 'a &amp; b' }), 'X')).toEqual({ NewD: 'a & b' });
    expect(parseSoapFault(faultXml(718, 'ConflictInMappingEntry'))).toEqual({
      code: 718,
      description: 'ConflictInMappingEntry',
    });
    expect(parseSoapFault('<html>500</html>')).toBeNull();
  });

  it('explains every listed UPnP code with something to do', () => {
    for (const code of [401, 402, 501, 606, 713, 714, 715, 716, 718, 724, 725, 726, 727, 728, 729])
      expect(SOAP_FAULT_EXPLANATIONS[code]).toBeTruthy();
    expect(new IgdSoapFault(725, 'OnlyPermanentLeasesSupported', 'AddPortMapping').message).toContain(
      'retry with lease 0',
    );
    expect(new IgdSoapFault(606, 'Action not authorized', 'AddPortMapping').message).toContain(
      'the router refused it (Action not authorized)',
    );
    // Router-neutral: RouterOS 7 has no UPnP permissions menu (issue 11); who knows the router adds names.
    for (const text of [SOAP_FAULT_EXPLANATIONS[606], NATPMP_RESULT_EXPLANATIONS[2]])
      expect(text).not.toMatch(/permission/i);
    expect(new IgdSoapFault(718, 'ConflictInMappingEntry', 'AddPortMapping').message).toContain(
      'another device already uses this external port',
    );
  });
});

describe('soapCall', () => {
  let server: FakeHttp | undefined;
  afterEach(async () => server?.close());

  it('sends the SOAPAction header and maps faults and plain HTTP errors to typed errors', async () => {
    server = await startFakeHttp(({ url, soap }) => {
      if (url === '/fault') return { status: 500, body: faultXml(606, 'Action not authorized') };
      if (url === '/ok' && soap)
        return { body: responseXml(soap.action, soap.serviceType, { NewExternalIPAddress: '203.0.113.9' }) };
      if (url === '/plain') return { status: 500, body: 'Internal error' };
      return undefined;
    });
    await expect(
      soapCall({ controlUrl: `${server.base}/ok`, serviceType: ST, action: 'GetExternalIPAddress' }),
    ).resolves.toEqual({ NewExternalIPAddress: '203.0.113.9' });
    expect(server.requests[0]).toMatchObject({ action: 'GetExternalIPAddress', serviceType: ST });
    const fault = await soapCall({
      controlUrl: `${server.base}/fault`,
      serviceType: ST,
      action: 'AddPortMapping',
    }).catch((e: unknown) => e);
    expect(fault).toBeInstanceOf(IgdSoapFault);
    expect(fault).toMatchObject({ code: 606, description: 'Action not authorized', action: 'AddPortMapping' });
    const plain = await soapCall({ controlUrl: `${server.base}/plain`, serviceType: ST, action: 'X' }).catch(
      (e: unknown) => e,
    );
    expect(plain).toBeInstanceOf(IgdHttpError);
    expect(plain).toMatchObject({ status: 500 });
    await expect(soapCall({ controlUrl: `${server.base}/nope`, serviceType: ST, action: 'X' })).rejects.toMatchObject({
      status: 404,
    });
  });

  it('outputs: false skips parsing a 2xx answer but still turns a fault into IgdSoapFault', async () => {
    server = await startFakeHttp(({ url }) =>
      url === '/fault' ? { status: 500, body: faultXml(606, 'Action not authorized') } : { body: 'not even xml' },
    );
    const call = (path: string) =>
      soapCall({ controlUrl: `${server?.base}${path}`, serviceType: ST, action: 'AddPortMapping', outputs: false });
    await expect(call('/ok')).resolves.toEqual({});
    await expect(call('/fault')).rejects.toMatchObject({ code: 606 });
    // With outputs (the default) the same answer is refused as unparsable.
    await expect(
      soapCall({ controlUrl: `${server.base}/ok`, serviceType: ST, action: 'AddPortMapping' }),
    ).rejects.toBeTruthy();
  });

  it('times out a silent control URL', async () => {
    server = await startFakeHttp(() => ({ body: '', delayMs: 3000 }));
    await expect(
      soapCall({ controlUrl: `${server.base}/c`, serviceType: ST, action: 'GetStatusInfo', timeoutMs: 200 }),
    ).rejects.toMatchObject({ code: 'timeout' });
  });
});
